#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docker/base_images.hpp"
#include "docker/dockerfile.hpp"
#include "docker/dockerfile_lint.hpp"

namespace dp::docker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<std::string> keywords(const std::vector<Instruction>& instructions) {
  std::vector<std::string> result;
  for (const auto& instruction : instructions) {
    result.push_back(instruction.keyword + "@" + std::to_string(instruction.line));
  }
  return result;
}

std::vector<std::string> references(const std::vector<BaseImage>& images) {
  std::vector<std::string> result;
  for (const auto& image : images) result.push_back(image.reference);
  return result;
}

std::vector<int> lines(const std::vector<LintFinding>& findings) {
  std::vector<int> result;
  for (const auto& finding : findings) result.push_back(finding.line);
  return result;
}

std::vector<LintFinding> lint(const std::string& dockerfile,
                              const std::vector<std::string>& files = {}) {
  return lint_dockerfile(parse_dockerfile(dockerfile), files);
}

// --- parse_dockerfile ------------------------------------------------------------------------

TEST(DockerfileParseTest, InstructionsWithTheirFirstLine) {
  const auto instructions = parse_dockerfile(
      "# a comment\n"
      "FROM base:1\n"
      "\n"
      "run echo a \\\n"
      "  && echo b\n"
      "COPY . .\r\n");
  EXPECT_THAT(keywords(instructions), ElementsAre("FROM@2", "RUN@4", "COPY@6"));
  EXPECT_EQ(instructions[1].arguments, "echo a   && echo b");
  EXPECT_EQ(instructions[2].arguments, ". .");
}

TEST(DockerfileParseTest, CommentsAndEmptyLinesInsideAContinuationAreSkipped) {
  const auto instructions = parse_dockerfile(
      "ENV A=1 \\\n"
      "# the next one\n"
      "\n"
      "    B=2\n"
      "ARG C\n");
  EXPECT_THAT(keywords(instructions), ElementsAre("ENV@1", "ARG@5"));
  EXPECT_EQ(instructions[0].arguments, "A=1     B=2");
}

TEST(DockerfileParseTest, EscapeDirectiveChangesTheContinuationCharacter) {
  const auto instructions = parse_dockerfile(
      "# escape=`\n"
      "FROM base\n"
      "ENV TOKEN_PATH=C:\\dir `\n"
      "    OTHER=1\n");
  EXPECT_THAT(keywords(instructions), ElementsAre("FROM@2", "ENV@3"));
  EXPECT_THAT(instructions[1].arguments, HasSubstr("OTHER=1"));
}

TEST(DockerfileParseTest, DirectivesOnlyCountAtTheTop) {
  const auto instructions = parse_dockerfile(
      "# syntax=docker/dockerfile:1\n"
      "FROM base\n"
      "# escape=`\n"
      "RUN a \\\n"
      "  b\n");
  EXPECT_THAT(keywords(instructions), ElementsAre("FROM@2", "RUN@4"));
}

TEST(DockerfileParseTest, InvalidEscapeDirectiveIsAnError) {
  EXPECT_THROW(parse_dockerfile("# escape=x\nFROM a\n"), DockerfileError);
}

TEST(DockerfileParseTest, HeredocBodiesAreNotInstructions) {
  const auto instructions = parse_dockerfile(
      "FROM base\n"
      "RUN <<EOF\n"
      "ENV PASSWORD=not-an-instruction\n"
      "EOF\n"
      "COPY <<-\"CONF\" /etc/x\n"
      "\tARG TOKEN\n"
      "\tCONF\n"
      "USER nobody\n");
  EXPECT_THAT(keywords(instructions), ElementsAre("FROM@1", "RUN@2", "COPY@5", "USER@8"));
}

TEST(DockerfileParseTest, TrailingContinuationAtTheEndOfTheFile) {
  EXPECT_THAT(keywords(parse_dockerfile("FROM a\nRUN x \\")), ElementsAre("FROM@1", "RUN@2"));
}

TEST(DockerfileWordsTest, ShellFormQuotesAndEscapes) {
  EXPECT_THAT(split_words(R"(a "b c" 'd e' f\ g "h\"i")"),
              ElementsAre("a", "b c", "d e", "f g", "h\"i"));
  EXPECT_THAT(split_words("  "), IsEmpty());
}

TEST(DockerfileWordsTest, JsonForm) {
  EXPECT_THAT(split_words(R"(["a b", "c"])"), ElementsAre("a b", "c"));
  EXPECT_THAT(split_words("[not json"), ElementsAre("[not", "json"));
}

TEST(DockerfileWordsTest, KeyValuePairs) {
  const auto pairs = parse_key_values(R"(A=1 B="two words" C)", false);
  ASSERT_THAT(pairs, SizeIs(3));
  EXPECT_EQ(pairs[1].key, "B");
  EXPECT_EQ(pairs[1].value, "two words");
  EXPECT_FALSE(pairs[2].has_value);

  const auto legacy = parse_key_values("NAME the value", true);
  ASSERT_THAT(legacy, SizeIs(1));
  EXPECT_EQ(legacy[0].key, "NAME");
  EXPECT_EQ(legacy[0].value, "the value");
}

TEST(DockerfileWordsTest, FlagsComeOff) {
  std::vector<std::string> words = {"--from=build", "--chown=1:1", "--link", "a", "b"};
  const auto flags = take_flags(words);
  EXPECT_THAT(words, ElementsAre("a", "b"));
  ASSERT_THAT(flags, SizeIs(3));
  EXPECT_EQ(flags[0], (std::pair<std::string, std::string>{"from", "build"}));
  EXPECT_EQ(flags[2].first, "link");
}

// --- base_images -----------------------------------------------------------------------------

TEST(BaseImagesTest, ArgDefaultsAndBuildArgsAreSubstituted) {
  const auto instructions = parse_dockerfile(
      "ARG BASE_IMAGE=docker-pipeline/python3:bookworm\n"
      "ARG TAG\n"
      "FROM ${BASE_IMAGE}\n"
      "FROM other:${TAG:-7} AS second\n");
  EXPECT_THAT(references(base_images(instructions, {})),
              ElementsAre("docker-pipeline/python3:bookworm", "other:7"));
  const auto with_args = base_images(instructions, {{"BASE_IMAGE", "mine:2"}, {"TAG", "9"}});
  EXPECT_THAT(references(with_args), ElementsAre("mine:2", "other:9"));
  EXPECT_EQ(with_args[0].line, 3);
  EXPECT_EQ(with_args[0].instruction, "FROM ${BASE_IMAGE}");
}

TEST(BaseImagesTest, UndeclaredBuildArgsAndStageArgsDoNotReachFrom) {
  const auto instructions = parse_dockerfile(
      "FROM a:1\n"
      "ARG LATER=x\n"
      "FROM b:$LATER\n");
  EXPECT_THAT(references(base_images(instructions, {{"LATER", "y"}})), ElementsAre("a:1", "b:"));
}

TEST(BaseImagesTest, ScratchStagesAndIndexesAreNotImages) {
  const auto instructions = parse_dockerfile(
      "FROM --platform=$BUILDPLATFORM golang:1 AS Build\n"
      "FROM scratch\n"
      "COPY --from=build /x /x\n"
      "COPY --from=0 /y /y\n"
      "FROM build\n"
      "COPY --from=tools:3 /z /z\n"
      "COPY --from=golang:1 /w /w\n");
  EXPECT_THAT(references(base_images(instructions, {})), ElementsAre("golang:1", "tools:3"));
}

TEST(BaseImagesTest, VariableForms) {
  const std::map<std::string, std::string> vars = {{"A", "1"}, {"EMPTY", ""}};
  EXPECT_EQ(expand_variables("$A-${A}", vars), "1-1");
  EXPECT_EQ(expand_variables("${MISSING:-d}${EMPTY:-e}${EMPTY-f}", vars), "de");
  EXPECT_EQ(expand_variables("${A:+alt}${MISSING:+x}", vars), "alt");
  EXPECT_EQ(expand_variables("\\$A $ ${unclosed", vars), "$A $ ${unclosed");
}

// --- lint_dockerfile -------------------------------------------------------------------------

TEST(DockerfileLintTest, CleanDockerfilePasses) {
  EXPECT_THAT(lint("ARG BASE_IMAGE=x\nFROM $BASE_IMAGE\nARG ARG_VERSION\nARG ARG_REPO\n"
                   "ENV LANG=C.UTF-8 PATH=/x\nCOPY . .\n"
                   "RUN --mount=type=secret,id=pypirc,target=/root/.pypirc twine upload\n",
                   {"setup.py", "pkg/__init__.py"}),
              IsEmpty());
}

TEST(DockerfileLintTest, CredentialNamedArgsAndEnvs) {
  const auto findings = lint(
      "FROM a\n"
      "ARG PYPI_TOKEN\n"
      "ARG X=1 db_Password=2\n"
      "ENV TWINE_PASSWORD ${X}\n"
      "ENV A=1 \\\n"
      "    CLIENT_SECRET=\"s s\"\n"
      "ARG ARG_VERSION\n");
  EXPECT_THAT(lines(findings), ElementsAre(2, 3, 4, 5));
  EXPECT_THAT(findings[0].message, HasSubstr("ARG PYPI_TOKEN"));
  EXPECT_THAT(findings[0].message, HasSubstr("RUN --mount=type=secret,id=pypi_token"));
  EXPECT_THAT(findings[1].message, HasSubstr("ARG db_Password"));
  EXPECT_THAT(findings[2].message, HasSubstr("ENV TWINE_PASSWORD"));
  EXPECT_THAT(findings[3].message, HasSubstr("ENV CLIENT_SECRET"));
}

TEST(DockerfileLintTest, CopyOrAddOfAPypirc) {
  const auto findings = lint(
      "FROM a\n"
      "COPY .pypirc /root/\n"
      "ADD --chown=1:1 conf/release.pypirc /root/.pypirc\n"
      "COPY [\"deploy/.pypirc/\", \"/x\"]\n"
      "COPY --from=builder /root/.pypirc /root/\n"
      "COPY pypirc.txt /x\n");
  EXPECT_THAT(lines(findings), ElementsAre(2, 3, 4, 5));
  EXPECT_THAT(findings[0].message, HasSubstr("COPY .pypirc"));
  EXPECT_THAT(findings[0].message, HasSubstr("SECRETS id=pypirc"));
}

TEST(DockerfileLintTest, FoldersAndWildcardsThatTakeAPypircFromTheContext) {
  const std::vector<std::string> files = {"setup.py", "conf/.pypirc", "pkg/__init__.py"};
  EXPECT_THAT(lines(lint("FROM a\nCOPY . /src\n", files)), ElementsAre(2));
  EXPECT_THAT(lines(lint("FROM a\nCOPY ./conf/ /etc/\n", files)), ElementsAre(2));
  EXPECT_THAT(lines(lint("FROM a\nCOPY c*/ /etc/\n", files)), ElementsAre(2));
  EXPECT_THAT(lines(lint("FROM a\nCOPY pkg setup.py /src/\n", files)), IsEmpty());
  EXPECT_THAT(lines(lint("FROM a\nCOPY --from=other . /src\n", files)), IsEmpty());
  EXPECT_THAT(lint("FROM a\nCOPY . /src\n", files)[0].message, HasSubstr("conf/.pypirc"));
}

TEST(DockerfileLintTest, CredentialNames) {
  EXPECT_TRUE(is_credential_name("GITHUB_TOKEN"));
  EXPECT_TRUE(is_credential_name("Secret"));
  EXPECT_TRUE(is_credential_name("PASSWORD_FILE"));
  EXPECT_FALSE(is_credential_name("ARG_VERSION"));
  EXPECT_FALSE(is_credential_name("PASS"));
}

TEST(DockerfileParseTest, FirstRunMountIsAFlagOfRunOnly) {
  EXPECT_EQ(first_run_mount(parse_dockerfile("FROM a\nRUN echo --mount=x\nCOPY --from=b / /\n")),
            std::nullopt);
  const auto found = first_run_mount(parse_dockerfile(
      "FROM a\nRUN make\nRUN --network=none \\\n  --mount=type=bind,target=/src make\n"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->line, 3);
}

}  // namespace
}  // namespace dp::docker
