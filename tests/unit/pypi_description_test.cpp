#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pypi/check/description_check.hpp"
#include "pypi/check/rst_check.hpp"
#include "pypi/dist/core_metadata.hpp"

namespace dp::pypi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

CheckFindings check(const std::string& content_type, const std::string& body) {
  std::string text = "Metadata-Version: 2.1\nName: x\nVersion: 1\n";
  if (!content_type.empty()) text += "Description-Content-Type: " + content_type + "\n";
  return check_description(parse_core_metadata(text + "\n" + body));
}

TEST(pypiDescription, TakesTheContentTypesPyPIRenders) {
  for (const char* type :
       {"text/plain", "text/x-rst; charset=UTF-8", "TEXT/Markdown",
        "text/markdown; charset=utf-8; variant=GFM", "text/markdown; variant=\"CommonMark\""}) {
    const auto findings = check(type, "Some text.\n");
    EXPECT_THAT(findings.errors, IsEmpty()) << type;
    EXPECT_THAT(findings.warnings, IsEmpty()) << type;
  }
  EXPECT_THAT(check("text/html", "x").errors, ElementsAre(HasSubstr("cannot be rendered")));
  EXPECT_THAT(check("text/plain; charset=latin-1", "x").errors,
              ElementsAre(HasSubstr("charset latin-1 is not UTF-8")));
  EXPECT_THAT(check("text/markdown; variant=Foo", "x").errors,
              ElementsAre(HasSubstr("variant Foo is neither GFM nor CommonMark")));
}

TEST(pypiDescription, WarnsLikeTwineAboutWhatIsMissing) {
  EXPECT_THAT(check("text/markdown", "UNKNOWN\n").warnings,
              ElementsAre(HasSubstr("`long_description` missing")));
  const auto findings = check("", "*unclosed\n");
  EXPECT_THAT(findings.warnings, ElementsAre(HasSubstr("`long_description_content_type`")));
  // Without a content type the description is rendered as RST, as twine and PyPI do.
  EXPECT_THAT(findings.errors, ElementsAre(HasSubstr("line 1: Inline emphasis start-string")));
  EXPECT_THAT(check("text/markdown", "*unclosed\n").errors, IsEmpty());
}

TEST(pypiDescription, JudgesADescriptionHeaderAsItIsSent) {
  // Metadata 1.x writers indent the header's continuation lines; upload sends them so (as twine
  // does), and PyPI renders that text, in which the underline sits inside a definition.
  const auto metadata = parse_core_metadata(
      "Metadata-Version: 1.2\nName: x\nDescription: Title\n        =====\n        \n"
      "        text\n\n");
  EXPECT_EQ(metadata.description(), "Title\n        =====\n        \n        text");
  EXPECT_THAT(check_description(metadata).errors,
              ElementsAre(HasSubstr("line 2: Unexpected section title or transition.")));
  const auto plain = parse_core_metadata(
      "Metadata-Version: 1.2\nName: x\nDescription-Content-Type: text/plain\nDescription: Title\n"
      "        =====\n\n");
  EXPECT_THAT(check_description(plain).errors, IsEmpty());
}

TEST(pypiRstCheck, FindsContentInDirectivesThatTakeNone) {
  // A Description header whose lines after the first are indented: all of it is the image's.
  EXPECT_THAT(find_rst_problems(".. image:: https://x.invalid/b.svg\n"
                                "            :target: https://x.invalid/\n"
                                "        \n"
                                "        Text\n"),
              ElementsAre("line 1: Error in \"image\" directive: no content permitted."));
  EXPECT_THAT(find_rst_problems(".. image:: https://x.invalid/b.svg\n   :alt: badge\n\nText\n"),
              IsEmpty());
  EXPECT_THAT(find_rst_problems(".. note::\n\n   Content is welcome here.\n"), IsEmpty());
}

TEST(pypiRstCheck, FindsTitlesAndTransitionsWhereDocutilsAllowsNone) {
  EXPECT_THAT(find_rst_problems("Intro\n\n    ----\n\n    quoted\n"),
              ElementsAre("line 3: Unexpected section title or transition."));
  EXPECT_THAT(find_rst_problems("- item\n\n  Title\n  =====\n"),
              ElementsAre("line 4: Unexpected section title."));
  // Too short to be one, a literal block, or a table border with columns: text as docutils reads
  // it.
  EXPECT_THAT(find_rst_problems("term\n    ---\n"), IsEmpty());
  EXPECT_THAT(find_rst_problems("Example::\n\n    =====\n    -----\n"), IsEmpty());
  EXPECT_THAT(find_rst_problems("  =====  =====\n  a      b\n  =====  =====\n"), IsEmpty());
}

TEST(pypiRstCheck, PassesOrdinaryReadmes) {
  EXPECT_THAT(find_rst_problems(R"(=======
 demo
=======

Intro with *emphasis*, **strong**, ``literal``, `link <https://x.invalid/a_b>`_ and |badge|.
A star alone * and 2*3, a '*' in quotes, dist/* at the end, \*escaped.

- item one spans
  two lines with ``code
  across lines``
- :code:`role` and `phrase`_

Usage::

    f(*args, **kwargs)

.. code-block:: python

   print(*x)

.. |badge| image:: https://x.invalid/b.svg
.. _phrase: https://x.invalid

Tiny
==

+-------+------+
| *a*   | b    |
+-------+------+

>>> f(*args)
)"),
              IsEmpty());
}

TEST(pypiRstCheck, FindsWhatDocutilsWouldWarnAbout) {
  EXPECT_THAT(find_rst_problems("Long title\n====\n\ntext\n"),
              ElementsAre("line 2: Title underline too short."));
  EXPECT_THAT(find_rst_problems("=====\nTitle\n======\n"),
              ElementsAre("line 3: Title overline & underline mismatch."));
  EXPECT_THAT(find_rst_problems("====\nLong title\n====\n"),
              ElementsAre("line 1: Title overline too short."));
  EXPECT_THAT(find_rst_problems("a\n\nPass **kwargs or *args, ``x or `y and a |b.\n"),
              ElementsAre("line 3: Inline strong start-string without end-string.",
                          "line 3: Inline emphasis start-string without end-string.",
                          "line 3: Inline literal start-string without end-string.",
                          "line 3: Inline interpreted text or phrase reference start-string "
                          "without end-string.",
                          "line 3: Inline substitution_reference start-string without "
                          "end-string."));
  EXPECT_THAT(find_rst_problems(".. image:: x.png\n   :alt: x\nText.\n"),
              ElementsAre("line 3: Explicit markup ends without a blank line; unexpected "
                          "unindent."));
}

// docutils would warn here, but tables and directive bodies are not parsed: no false failures.
TEST(pypiRstCheck, StaysSilentWhereItCannotBeSure) {
  EXPECT_THAT(find_rst_problems("+----+\n| *a |\n+----+\n"), IsEmpty());
  EXPECT_THAT(find_rst_problems(".. note::\n\n   *a\n"), IsEmpty());
}

TEST(pypiRstCheck, CountsWideCharactersInTitles) {
  EXPECT_THAT(find_rst_problems("日本語\n=====\n"), ElementsAre(HasSubstr("too short")));
  EXPECT_THAT(find_rst_problems("Café\n====\n"), IsEmpty());
}

}  // namespace
}  // namespace dp::pypi
