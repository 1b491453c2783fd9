#include <gtest/gtest.h>

#include "text/entities.hpp"

namespace dp::text {
namespace {

TEST(textEntities, DecodesTheNamedOnes) {
  EXPECT_EQ(decode_entities("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"),
            "a & b <c> \"d\" 'e'");
  EXPECT_EQ(decode_entities("x&nbsp;y"), "x\xC2\xA0y");
}

TEST(textEntities, DecodesNumericOnesAsUtf8) {
  EXPECT_EQ(decode_entities("&#39;&#x27;&#X41;"), "''A");
  EXPECT_EQ(decode_entities("caf&#233; &#x2713; &#x1F600;"),
            "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80");
  EXPECT_EQ(decode_entities("&#x10FFFF;"), "\xF4\x8F\xBF\xBF");
}

TEST(textEntities, LeavesUnknownAndInvalidOnesAsWritten) {
  for (const char* kept : {"&bogus;", "&#xZZ;", "&#;", "&#x;", "&#0;", "&#x110000;", "&#xD800;",
                           "&amp", "& amp;", "&", "a&b", "&#12a;", "&averyveryverylongname;"}) {
    EXPECT_EQ(decode_entities(kept), kept);
  }
  EXPECT_EQ(decode_entities("&&amp;&"), "&&&");
}

TEST(textEntities, DecodeAtTellsTheLengthUsed) {
  const auto entity = decode_entity_at("&amp;rest");
  ASSERT_TRUE(entity);
  EXPECT_EQ(entity->text, "&");
  EXPECT_EQ(entity->length, 5u);
  EXPECT_EQ(decode_entity_at("&#x2713;.")->length, 8u);
  EXPECT_FALSE(decode_entity_at("amp;"));
  EXPECT_FALSE(decode_entity_at(""));
}

}  // namespace
}  // namespace dp::text
