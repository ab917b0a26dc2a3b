// The evaluator's shortcuts give what the general path gives: matches() with a
// pattern of plain alternatives ("累计|历年") or of a plain sequence ("(收到|受理).*申请")
// searches the UTF-8 text itself instead of running ICU, a repeated expression
// (r[c]) is computed once per binding, and a let with a quantifier, first used inside a quantifier of the check,
// does not overwrite that quantifier's variable.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "engine/eval/builtins.hpp"
#include "engine/eval/compiled_regex.hpp"
#include "engine/eval/fast.hpp"
#include "gouji/check.hpp"
#include "gouji/readers.hpp"
#include "rules/program.hpp"
#include "tests/unit/reader_test_support.hpp"
#include "tests/unit/rule_fixture.hpp"

using namespace gouji;

namespace {

const TemplateCatalog& test_catalog() {
    static const TemplateCatalog c = fixture::catalog();
    return c;
}

// The rule pack of one rule X of `kind` (`body`: its for, let, when and check lines), compiled.
RuleSet one_rule(const std::string& kind, const std::string& body) {
    std::string errors;
    RuleSet set = fixture::compile_texts(
        {{"test.yaml", fixture::pack_with_rules("  - id: X\n    severity: error\n    kind: " + kind + "\n" + body)}},
        test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    return set;
}

// "pass", "fail" or the not-assessable message of one check against `model`.
std::string outcome(const ReportModel& model, const std::string& check, const std::string& lets = "") {
    auto findings = evaluate(one_rule("consistency", lets + "    check: '" + check + "'\n"), model);
    if (findings.empty()) return "pass";
    if (!findings[0].assessable) return findings[0].message;
    return "fail";
}

// The findings of one rule X of `kind` (`body`: its for, let, when and check lines).
std::vector<Finding> rule_findings(const ReportModel& model, const std::string& kind, const std::string& body) {
    return evaluate(one_rule(kind, body), model);
}

// The findings of one rule X of `kind` and how many of its checks its plan decided.
std::pair<std::vector<Finding>, std::size_t> findings_and_planned(const ReportModel& model, const std::string& kind,
                                                                  const std::string& body) {
    EvaluationStats stats;
    auto findings = evaluate(one_rule(kind, body), model, &stats);
    return {findings, stats.planned};
}

// Every match ICU finds in `text` (find_all's values: group 1, or the whole match
// without groups), in order: the reference for find_all().
std::vector<std::string> icu_finds_all(const std::string& text, const std::string& pattern) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe{};
    std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, pe, status));
    REQUIRE(U_SUCCESS(status));
    icu::UnicodeString utext = icu::UnicodeString::fromUTF8(text);
    std::unique_ptr<icu::RegexMatcher> m(p->matcher(utext, status));
    REQUIRE(U_SUCCESS(status));
    std::vector<std::string> found;
    while (m->find(status)) {
        std::string s;
        m->group(m->groupCount() > 0 ? 1 : 0, status).toUTF8String(s);
        found.push_back(s);
    }
    return found;
}

// What ICU's find() says, the reference for matches().
bool icu_finds(const std::string& text, const std::string& pattern) { return !icu_finds_all(text, pattern).empty(); }

}  // namespace

TEST_CASE("eval fast paths: matches() with plain alternatives agrees with ICU") {
    const std::vector<std::string> texts = {
        "其他处理", "处理其他", "历年累计受理", "行政复议3件", "没有句号", "有句号。", "问号?", "", "本年制发件数12件",
        "逾期未按收费通知要求缴纳费用的", "予以公开及部分公开", "收到政府信息公开申请", "申请收到", "受理依申请公开",
        "收到\n申请", "收到\u2028申请", "收到\r申请", "结转到下年度", "下年度结转", "接到接收申请",
        // Several long words looked for in one pass: at either end, after a near
        // miss, overlapping, and only in part.
        "现行有效件数", "其中现行有效件数35件", "本年制发件数", "本年制发件本年制发件数", "逾期不补", "逾期不补正",
        "逾期未按收费通知", "逾期逾期不补正。", "件数件数现行有效件", "本年制发件数现行有效件数",
        // Whole texts ("^…$"): each of the few that match, near misses, and a line
        // break at the end, before which `$` also matches.
        "无法提供", "无法提供数", "无法提供数据", "不无法提供", "无法提供\n", "无法提供数\r\n", "无法提供\u2029",
        "予以公开部分公开", "予以公开和部分公开", "予以公开、部分公开\n", "申请", "受理申请", "收到受理申请",
        // Words a pattern requires, with what may come between or around them.
        "本年制发\n件数", "本年制发 件数12", "现行有效件", "依法予以公开", "同意公开", "不同意公开", "部分同意公开",
        "部分公开", "公开", "予以公开\n", "abbbc", "ac", "abc", "aac", "xxy", "y", "abcabd", "予以公开及", "公开\r\n",
        "同意公开。", "a", "b\n", "Abc", "一x", "Ab", "cd", "合计", "a)b", "c", "wwx(yzz",
        // A line break before the end: `$` still only matches at the end.
        "无法提供\n数", "申请\n申请", "同意\n公开", "收到\n同意公开", "无法\n提供", "部分公开\r\n予以公开",
        "予以公开\u2028同意公开", "\n公开", "\t同意公开", "同意公开\t",
        // Every run an alternative needs, or one alternative of the group it must pass through.
        "本年新收", "本年新\n制作数量", "制作数量", "法人或其他组织申请", "法人和其他组织", "法人", "其他组织",
        "自然人提出的申请", "涉及自然人的", "表二\n第二十条第（九）项\n", "按照第二十条第（九）项公开",
        "无\n", "前言\n 暂无 \n", "没有其他", "附件下载", "xa", "bc",
    };
    // Plain alternatives (the fast path) and patterns that only look close (ICU).
    const std::vector<std::string> patterns = {
        "累计|历年", "^其他", "其他", "[。；;！？!?]", "行政复议", "诉讼|累计|历年", "本年制发件数|现行有效件数|逾期不补正|逾期未按收费通知要求缴纳费用",
        "^其他|处理", "[其他]", "其他$", "^予以公开(及|和|、)部分公开$", "结转.*下", "率",
        "(收到|受理|接收|接到).*申请", "(收到|受理)申请", "收到.*申请.*公开",
        "^无法提供数?$", "^予以公开(及|和|、)?部分公开$", "^(收到|受理)?申请$", "^无法提供数?", "无法提供数?$",
        // Patterns left to ICU unless the text lacks a word they require.
        "本年制发\\s*件数|现行有效\\s*件数", "(予以|同意)公开$", "部分(予以|同意)?公开$", "不予公开$", "ab+c", "ab?c",
        "a*c", "x{0,2}y", "x{2}y", "(ab|cd)c", "[ab]c|y", "\\p{Han}{2}公开", "abc|", "a(?i)BC", "ab\\Qc\\E",
        // Escapes of several characters, and sets holding parentheses inside a group.
        "\\x41bc", "\\u4E00x", "\\0101b", "\\x{4E00}x", "ww(x[(]y)zz|cd", "总数(\\d+[(（]件)|合计", "a[)]b|c",
        // An alternative needs all its runs; one without a run of its own, one
        // alternative of the group every match passes through.
        "本年新\\s*制作数量|上一年\\s*项目数量", "(自然人|法人(或者?|和|及)其他组织)(提出|提交)?的?(申请)?$",
        "(^|[\\n\\t])\\s*第二十条第[（(]九[)）]项\\s*($|[\\n\\t])", "(ab)?(c|d(e|f)g)h?", "x(ab)*y|(c|d)",
        "(^|\\n)\\s*(无|暂无|没有)\\s*(\\n|$)|无其他", "(^|x)(a|b)(c|)",
        // Words at an end, without ICU unless a line break ends the text.
        "公开$", "^予以公开(及|和|、)", "(予以|同意)公开", "(予以|同意)?公开$", "^$", "a?$",
    };
    // The whole-text patterns are searched for without ICU (else this test proves nothing of them).
    for (const char* whole : {"^无法提供数?$", "^予以公开(及|和|、)?部分公开$", "^(收到|受理)?申请$"}) {
        std::string error;
        std::size_t offset = 0;
        auto regex = program::compile_regex(whole, error, offset);
        REQUIRE(regex);
        CHECK(program::has_literal_form(*regex));
        CHECK(program::literal_match(*regex, "申请无法提供") == false);
    }
    // A pattern left to ICU is not searched at all in a text lacking the words it requires.
    {
        std::string error;
        std::size_t offset = 0;
        auto regex = program::compile_regex("本年制发\\s*件数|现行有效\\s*件数", error, offset);
        REQUIRE(regex);
        CHECK(program::literal_match(*regex, "本机关主动公开文件12件") == false);
        CHECK_FALSE(program::literal_match(*regex, "本年制发\n件数").has_value());  // ICU decides
        auto repeated_b = program::compile_regex("ab+c", error, offset);
        REQUIRE(repeated_b);
        CHECK(program::literal_match(*repeated_b, "ac") == false);                // "ab" is required…
        CHECK_FALSE(program::literal_match(*repeated_b, "abbbc").has_value());  // …"abc" is not
        // Patterns are analysed before ICU checks them, and ICU compiles those of
        // its syntax that cannot fail only on first need: a broken one is still an
        // error, at once.
        for (const char* broken : {"a{", "\\p{Han", "x{2", "(ab", "[ab", "a\\", "ab)c", "{", "a{2,1}b", "[b-a]", "a|*b",
                                   "\\p{Hanzi}", "(a|b", "x\\s{3,2}", "[\\p{Han}", "(?<x)", "\\s**"}) {
            INFO(broken);
            CHECK_FALSE(program::compile_regex(broken, error, offset));
        }
        auto ending = program::compile_regex("(予以|同意)公开$", error, offset);
        REQUIRE(ending);
        CHECK(program::literal_match(*ending, "依法予以公开") == true);
        CHECK(program::literal_match(*ending, "予以公开的") == false);
        CHECK_FALSE(program::literal_match(*ending, "同意公开\n").has_value());  // `$` before a final break: ICU
        // Both runs of an alternative must be there: 本年新 alone (本年新收) is not enough.
        auto both = program::compile_regex("本年新\\s*制作数量|上一年\\s*项目数量", error, offset);
        REQUIRE(both);
        CHECK(program::literal_match(*both, "一、本年新收政府信息公开申请数量") == false);
        CHECK_FALSE(program::literal_match(*both, "本年新 制作数量").has_value());
        // No run outside groups: one of the mandatory group's alternatives must be there.
        auto grouped = program::compile_regex("(自然人|法人(或者?|和|及)其他组织)(提出|提交)?的?(申请)?$", error, offset);
        REQUIRE(grouped);
        CHECK(program::literal_match(*grouped, "受理依申请公开") == false);
        CHECK(program::literal_match(*grouped, "法人申请") == false);  // 法人 without 其他组织
        // With them, it ends as the pattern does (matched backwards), or not.
        CHECK(program::literal_match(*grouped, "法人或其他组织申请") == true);
        CHECK(program::literal_match(*grouped, "法人或其他组织申请的") == false);
        CHECK_FALSE(program::literal_match(*grouped, "法人或其他组织申请\n").has_value());  // `$` before a final break: ICU
        // The first mandatory group needs no word ("(^|\n)"): the next one stands for the branch.
        auto answered = program::compile_regex("(^|\\n)\\s*(无|暂无|没有)\\s*(\\n|$)|无其他", error, offset);
        REQUIRE(answered);
        CHECK(program::literal_match(*answered, "附件下载") == false);
        CHECK_FALSE(program::literal_match(*answered, "前言\n暂无\n").has_value());
    }
    for (const auto& text : texts) {
        // As text of the model (a section's), the way the packs use it.
        fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
        b.section("一、总体情况", "总体情况", 1, text, 1, 9);
        ReportModel m = b.model();
        for (const auto& pattern : patterns) {
            INFO("text: " << text << "  pattern: " << pattern);
            std::string expected = icu_finds(text, pattern) ? "pass" : "fail";
            CHECK(outcome(m, "matches(section(\"总体情况\").text, \"" + pattern + "\")") == expected);
            // As a literal too, unless YAML would fold its line break.
            bool one_line = text.find_first_of("\n\r") == std::string::npos && text.find("\u2028") == std::string::npos;
            if (one_line) CHECK(outcome(m, "matches(\"" + text + "\", \"" + pattern + "\")") == expected);
        }
    }
}

// A long text is searched by ICU only around the words a pattern of bounded length
// requires (program::search_windows): matches near the words, at the text's ends,
// across window edges, with lookarounds, and patterns the windows do not apply to
// (unbounded, anchored) must all come out as a search of the whole text does.
TEST_CASE("eval fast paths: matches() in a long text, searched around the required words, agrees with ICU") {
    const std::string pad = [] {
        std::string p;
        for (int i = 0; i < 60; ++i) p += "本机关认真落实。";  // 480 characters, 1,440 bytes
        return p;
    }();
    const std::vector<std::string> texts = {
        pad + "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。" + pad,
        "未发生行政复议" + pad,
        pad + "未发生行政复议",
        pad + "无论行政复议还是诉讼" + pad,
        pad + "未经行政复议直接起诉" + pad,
        pad + "行政复议" + pad + "没有" + std::string(30, 'x') + "行政复议" + pad,
        pad + "没有发生被申请行政复议纠错的情形" + pad,
        pad + "行政复议行政复议未" + pad,
        pad + "收到\n申请" + pad,
        pad + "结转至2022年继续办理" + pad,
    };
    const std::vector<std::string> patterns = {
        "(未(?!经)|没有|无(?!论|须|需))(发生|出现)?[^。；;，,\\n]{0,14}行政复议(?!\\s*(纠错|纠正))",
        "行政复议(?=行政)", "(?<=未发生)行政复议", "(?<!无)行政复议还", "没有.{0,40}行政复议", "没有.*行政复议",
        "^未发生行政复议", "行政复议$", "\\b行政复议", "结转(至|到)20\\d\\d年", "收到[^。]{0,3}申请",
        // Several alternatives, each with words of its own: which of them a long
        // text holds is found in one pass (words_present), the first, a later one
        // or none of them.
        "行政复议\\s*纠错|不存在的词\\s*甲", "不存在的词\\s*甲|行政复议\\s*纠错", "不存在的词\\s*甲|另一个词\\s*乙",
        "(不存在的词|另一个词)\\s*甲|(未发生|没有)\\s*(被申请)?行政复议",
    };
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    for (const auto& text : texts) {
        b.model().sections.clear();
        b.section("一、总体情况", "总体情况", 1, text, 1, 2);
        const ReportModel& m = b.model();
        for (const auto& pattern : patterns) {
            INFO("text: " << text.substr(0, 60) << "  pattern: " << pattern);
            CHECK(outcome(m, "matches(section(\"总体情况\").text, \"" + pattern + "\")") ==
                  (icu_finds(text, pattern) ? "pass" : "fail"));
        }
    }
    // The windows apply to a pattern of bounded length with a required word, not otherwise.
    std::string error;
    std::size_t offset = 0;
    auto bounded = program::compile_regex("没有.{0,40}行政复议", error, offset);
    REQUIRE(bounded);
    const std::string text = pad + "没有" + std::string(30, 'x') + "行政复议" + pad;
    auto windows = program::search_windows(*bounded, text);
    REQUIRE(windows);
    REQUIRE(windows->size() == 1);
    CHECK((*windows)[0].second - (*windows)[0].first < text.size() / 4);  // 46 characters either side
    for (const char* unbounded : {"没有.*行政复议", "^未发生行政复议", "\\b行政复议"}) {
        auto regex = program::compile_regex(unbounded, error, offset);
        REQUIRE(regex);
        CHECK_FALSE(program::search_windows(*regex, text).has_value());
    }
}

namespace {

// `pattern` with each character beyond ASCII written as its code (\x{884C}): the
// same pattern to ICU, but one whose words gouji does not read (required_words),
// so that it is searched whole, as before there were shortcuts.
std::string with_coded_characters(const std::string& pattern) {
    const icu::UnicodeString s = icu::UnicodeString::fromUTF8(pattern);
    std::string out;
    for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
        const UChar32 c = s.char32At(i);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else {
            char code[16];
            std::snprintf(code, sizeof code, "\\x{%X}", static_cast<unsigned>(c));
            out += code;
        }
    }
    return out;
}

// A report whose part 一 holds `text`, read from a file (so that each capture
// has its line and column).
ReportModel report_with_part_one(const reader_tests::TempDir& dir, const std::string& text) {
    static const TemplateCatalog standard = load_templates(default_rulepack_dir() + "/templates.yaml");
    return build_model(read_document(dir.write("report.txt", "2020年政府信息公开工作年度报告\n一、总体情况\n" + text +
                                                                 "\n二、主动公开政府信息情况\n无。\n")),
                       standard);
}

// find_all(part 一's text, pattern) as a finding shows it: its message, and each
// capture as "value@line:column".
std::pair<std::string, std::vector<std::string>> find_all_in_part_one(const ReportModel& m, const std::string& pattern) {
    auto findings = rule_findings(m, "consistency",
                                  "    let:\n      found: 'find_all(section(\"总体情况\").text, \"" + pattern +
                                      "\")'\n    check: 'count(found) < 0'\n    message: '{found}'\n");
    REQUIRE(findings.size() == 1);
    std::vector<std::string> captures;
    for (const auto& c : findings[0].cells)
        if (c.path.starts_with("captured: "))
            captures.push_back(c.text + "@" + std::to_string(c.pos.line) + ":" + std::to_string(c.pos.column));
    return {findings[0].message, captures};
}

}  // namespace

// find_all() of a pattern whose matches are of bounded length outside their
// lookarounds (the none_* params') searches a long text only from near the
// words it requires (required_word_places), with the whole text around for the
// lookarounds: its values and the places of its captures must be those of a
// search of the whole text (the same pattern with its characters coded, which
// gouji cannot read words from) and of ICU's own find(). Matches at the text's
// ends, two within one reach, a lookbehind and a lookahead reaching past the
// searched region, a match starting after the word's place, and characters of
// two UTF-16 units before the matches (the places are counted in both).
TEST_CASE("eval fast paths: find_all() in a long text, searched from near the required words, agrees with ICU") {
    const std::string pad = [] {
        std::string p;
        for (int i = 0; i < 40; ++i) p += "本机关认真落实。";  // 320 characters, 960 bytes
        return p;
    }();
    const std::vector<std::string> texts = {
        pad + "本年度未发生因政府信息公开引起的行政复议。" + pad,
        "未发生行政复议，" + pad + "没有行政复议",
        pad + "未发生行政复议未发生行政复议，都未发生行政复议，无行政复议纠错情况。" + pad,
        pad + "𠀀𠀁未发生行政复议𠀂" + pad + "𠀃无行政复议" + pad,
        pad + "各乡镇均未发生行政复议。2020年未发生行政复议，上年未发生行政复议。" + pad,
        pad + "未发生" + std::string(200, 'x') + "行政复议" + pad,
        pad + "行政复议" + pad,
        pad,
    };
    const std::vector<std::string> patterns = {
        // As the none_review param: a lookbehind, optional words, a lookahead of unbounded length.
        "(?<!均|都|个单位)(?:(?:20\\d\\d|(?<!以)上一?|去)年度?[，,]?)?(?:(?:未|没有)(?:发生|出现)?过?|无)"
        "(?:因政府信息公开引起的)?行政复议(?![^。；，,]*?(?:纠错|纠正))",
        "(未|没有)[^。]{0,2}行政复议",              // a group: find_all gives it
        "(?<=发生)行政复议(?=[^。]*。)",            // lookarounds on both sides
        "行政复议.{0,3}(?!纠)",
    };
    std::string error;
    std::size_t offset = 0;
    reader_tests::TempDir dir;
    for (const auto& text : texts) {
        const ReportModel m = report_with_part_one(dir, text);
        for (const auto& pattern : patterns) {
            auto compiled = program::compile_regex(pattern, error, offset);
            REQUIRE(compiled);
            CHECK(compiled->longest_consumed.has_value());  // else this test tries nothing new
            INFO("text: " << text.substr(0, 90) << "  pattern: " << pattern);
            const auto words_at = program::required_word_places(*compiled, text);
            REQUIRE(words_at);
            CHECK(words_at->empty() == (text.find("行政复议") == std::string::npos));
            const auto near = find_all_in_part_one(m, pattern), whole = find_all_in_part_one(m, with_coded_characters(pattern));
            CHECK(near.first == whole.first);
            CHECK(near.second == whole.second);
            const std::vector<std::string> expected = icu_finds_all(text, pattern);
            REQUIRE(near.second.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                CHECK(near.second[i].starts_with(expected[i] + "@"));
                CHECK_FALSE(near.second[i].ends_with("@0:0"));  // placed in the file
            }
        }
    }
}

// Characters of two UTF-16 units and marks around the words: a word holding
// another that a longer match holds (searched from the outer word's end, the match
// was missed), a region starting between a character's two units (ICU matched
// from its second, a lone surrogate, and may crash there), and \X taking any
// number of marks (no bound on a match's length).
TEST_CASE("eval fast paths: find_all() near the required words, with characters of two units or marks, agrees with ICU") {
    const std::string pad = [] {
        std::string p;
        for (int i = 0; i < 40; ++i) p += "本机关认真落实。";
        return p;
    }();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[𠀀𠀁]{2}𠀂|𠀀𠀂行", pad + "𠀁𠀀𠀂行" + pad},
        {"[^𠀀。]{1,3}词", pad + "。𠀀词xxxxx词" + pad},
        {"([^。]{0,3}ab)?" "?(?=.*$)甲乙", pad + "xx𠀀𠀂xxxxxxxxxxx甲乙" + pad},
        {"\\X行政复议", pad + "a" + [] {
             std::string marks;
             for (int i = 0; i < 20; ++i) marks += "\u0301";
             return marks;
         }() + "行政复议" + pad},
    };
    reader_tests::TempDir dir;
    for (const auto& [pattern, text] : cases) {
        INFO("pattern: " << pattern);
        std::vector<std::string> found;
        for (const auto& capture : find_all_in_part_one(report_with_part_one(dir, text), pattern).second)
            found.push_back(capture.substr(0, capture.rfind('@')));
        const std::vector<std::string> expected = icu_finds_all(text, pattern);
        CHECK_FALSE(expected.empty());
        CHECK(found == expected);
    }
}

// Patterns of plain characters, groups, '?' and anchors, nested and combined at
// random (a fixed seed), and words then words (".*"), on texts of their
// characters, line breaks and spaces: whatever literal_match() decides without
// ICU (lists of words, words at an end, endings matched backwards, sequences,
// required words) is what ICU finds.
TEST_CASE("eval fast paths: literal_match() agrees with ICU on generated patterns and texts") {
    std::mt19937 random(20261202);
    const std::vector<std::string> letters = {"甲", "乙", "a", "甲乙"};
    auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
    std::function<std::string(int)> sequence = [&](int depth) {
        std::string out;
        for (std::size_t k = random() % 4; k > 0; --k) {
            if (depth < 3 && random() % 3 == 0) {
                out += "(";
                for (std::size_t a = 1 + random() % 3; a > 0; --a) out += sequence(depth + 1) + (a > 1 ? "|" : "");
                out += ")";
            } else {
                out += pick(letters);
            }
            if (random() % 3 == 0) out += "?";
            if (random() % 12 == 0) out += pick({"\\s*", ".", "[甲a]", "+", ".*"});  // a sequence, or left to ICU or required words
        }
        return out;
    };
    const std::vector<std::string> text_pieces = {"甲", "乙", "a", "丙", "\n", " ", "\r\n"};
    std::vector<std::string> texts;
    for (int n = 0; n < 60; ++n) {
        std::string t;
        for (std::size_t k = random() % 8; k > 0; --k) t += pick(text_pieces);
        texts.push_back(t);
    }
    std::size_t decided = 0, ending = 0, sequences = 0;
    for (int n = 0; n < 3000; ++n) {
        std::string pattern = random() % 4 == 0 ? "^" : "";
        for (std::size_t a = 1 + (random() % 4 == 0 ? random() % 3 : 0); a > 0; --a) pattern += sequence(0) + (a > 1 ? "|" : "");
        if (random() % 3 != 0) pattern += "$";
        if (random() % 6 == 0)  // a word, then another later on the line: "(甲|a乙).*乙"
            pattern = (random() % 2 ? "(" + pick(letters) + "|" + pick(letters) + pick(letters) + ")" : pick(letters)) + ".*" +
                      pick(letters) + (random() % 2 ? pick(letters) : "");
        std::string error;
        std::size_t offset = 0;
        auto regex = program::compile_regex(pattern, error, offset);
        UErrorCode status = U_ZERO_ERROR;
        UParseError pe{};
        std::unique_ptr<icu::RegexPattern> icu_pattern(
            icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, pe, status));
        INFO("pattern: " << pattern);
        REQUIRE(static_cast<bool>(regex) == U_SUCCESS(status));
        if (!regex) continue;
        // A group in a group: no list of words stands for it, only an ending does.
        int depth = 0, deepest = 0;
        for (char c : pattern) deepest = std::max(deepest, depth += c == '(' ? 1 : c == ')' ? -1 : 0);
        const bool nested = deepest > 1 && pattern.back() == '$';
        for (const auto& text : texts) {
            auto found = program::literal_match(*regex, text);
            if (!found) continue;
            ++decided;
            if (nested) ++ending;
            if (pattern.find(".*") != std::string::npos) ++sequences;
            icu::UnicodeString utext = icu::UnicodeString::fromUTF8(text);
            std::unique_ptr<icu::RegexMatcher> m(icu_pattern->matcher(utext, status));
            REQUIRE(U_SUCCESS(status));
            INFO("text: " << text);
            CHECK(*found == m->find(status));
        }
    }
    CHECK(decided > 50000);  // else the generator no longer reaches the forms decided without ICU
    CHECK(ending > 1000);
    CHECK(sequences > 1000);
}

// Long texts are searched for several words sixteen bytes at a time, by a pair
// of bytes in each word at a known offset: its bytes 1 and 2 (未收到|没有申请|…,
// across characters in 2019年度 and é公开), or a character several share (到 of
// 未收到 and 没有收到 at offsets 7 and 10; 数, twice in 数量与总数): a word with
// its pair at either lane of a block's edge, at either end of the text, after a
// near miss, or behind a character that shares its pair (数 E6 95 B0, 啰 E5 95 B0)
// must be found all the same, by contains_any() (literal_match) and by
// words_present() (lacks_required_words, past 512 bytes).
TEST_CASE("eval fast paths: several words in a long text are found wherever they are") {
    std::mt19937 random(20261202);
    struct Words {
        std::vector<std::string> words;
        std::size_t anchors;  // pairs the plan looks for; words by their bytes 1 and 2 when one each
    };
    const std::vector<Words> word_sets = {
        {{"未收到", "没有申请", "无政府信息", "2019年度", "abcd", "é公开"}, 6},
        {{"未收到", "没有收到", "无政府信息公开", "无申请", "制作数量", "有效件数"}, 3},
        {{"制作数量", "新公开数量", "公开总数量", "制发件数", "废止件数", "数量与总数"}, 1},
    };
    const std::vector<std::string> pieces = {
        "未", "收", "到", "没有", "收到", "无", "申", "请", "申请", "政府信息", "公开", "制作", "数量", "有效", "件数", "数",
        "总", "新", "废止", "制发", "与", "圪", "\xe5\xb2\xa1", "啰", "戰", "嗠", "\xe6\x95\xb0\xe9", "的", "。", "a",
        "abc", "bcd", "2019", "20", "19年", "年度", "é", "\xc3", "12", "\n", " ", "本年度共"};
    for (const auto& [words, anchors] : word_sets) {
        std::string pattern, required_pattern;
        for (const auto& w : words) {
            pattern += (pattern.empty() ? "" : "|") + w;
            required_pattern += (required_pattern.empty() ? "" : "|") + w + "\\d";
        }
        std::string error;
        std::size_t offset = 0;
        auto regex = program::compile_regex(pattern, error, offset);
        auto required = program::compile_regex(required_pattern, error, offset);
        REQUIRE(regex);
        REQUIRE(required);
        // The plans this test is written for: pairs at offset 1 only for the first set.
        REQUIRE(regex->literals);
        CHECK(regex->literals->anchors.size() == anchors);
        REQUIRE(required->required);
        CHECK(required->required->anchors.size() == anchors);
        std::size_t found = 0, not_found = 0;
        for (int n = 0; n < 4000; ++n) {
            std::string text;
            const std::size_t length = random() % 1100;
            while (text.size() < length) text += pieces[random() % pieces.size()];
            if (random() % 2 == 0) {  // a word at a place of its own: the start, the end, or any lane near a block's edge
                const std::string& w = words[random() % words.size()];
                const std::size_t at = random() % 3 == 0   ? 0
                                       : random() % 3 == 0 ? text.size()
                                                           : std::min(text.size(), 16 * (random() % 8) + random() % 16);
                text.insert(at, w);
            }
            const bool any =
                std::any_of(words.begin(), words.end(), [&](const std::string& w) { return text.find(w) != std::string::npos; });
            auto decided = program::literal_match(*regex, text);
            INFO("pattern: " << pattern << ", text: " << text);
            REQUIRE(decided);
            CHECK(*decided == any);
            CHECK(program::lacks_required_words(*required, text) == !any);
            ++(any ? found : not_found);
        }
        CHECK(found > 1000);
        CHECK(not_found > 1000);
    }
}

// A pattern surely_valid_for_icu() accepts is not checked by ICU when the packs
// compile: ICU must never refuse one. Patterns are put together at random from
// pieces near the edge of that syntax (a fixed seed: the same patterns every run).
TEST_CASE("eval fast paths: every pattern taken as surely valid is one ICU compiles") {
    const std::vector<std::string> pieces = {
        "a", "中", "(", ")", "|", "?", "*", "+", "{", "}", "1", "0", ",", "[", "]", "-", "^", "$", ".", "\\s", "\\d",
        "\\w", "\\S", "\\n", "\\p{Han}", "\\p{Hab}", "\\", "\\(", "\\[", "\\-", "（", "、", "{0,4}", "{2}",
        "{3,}", "{4,1}", "{1000}", "{1001}", "#", "&", ":", "\\1", "{,3}", "[a-]", "[-a]", "[]]", "[^]", "[^a]",
        "[c-a]", "[\\s]", "[\\d中]", "(?:", "(?i)", "\\b", "\\Q", "\\N{x}", "*?", "+?", "{1,2}+", "++", "(|", "|)",
        "(?=", "(?!", "(?<=", "(?<!", "(?<", "(?", "(?<=a|中)", "(?<!a*)"};
    std::mt19937 random(20261201);
    std::size_t accepted = 0;
    for (int n = 0; n < 200000; ++n) {
        std::string pattern;
        for (std::size_t k = 1 + random() % 10; k > 0; --k) pattern += pieces[random() % pieces.size()];
        if (!program::surely_valid_for_icu(pattern)) continue;
        ++accepted;
        UErrorCode status = U_ZERO_ERROR;
        UParseError where{};
        std::unique_ptr<icu::RegexPattern> compiled(
            icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, where, status));
        INFO(pattern);
        CHECK(U_SUCCESS(status));
    }
    CHECK(accepted > 1000);  // else the pieces no longer reach the syntax it accepts
    // Look-arounds and (?:…) are ICU's to judge, when the packs compile: compiled on
    // first need, a pattern of the standard packs that most reports need (common's
    // none_received) would cost each report's check, one report per process.
    CHECK_FALSE(program::surely_valid_for_icu("(?<!均|都)(?:未|没有)收到申请(?!人)"));
}

TEST_CASE("eval fast paths: a let's quantifier leaves the check's variable alone") {
    ReportModel m = fixture::ModelBuilder(test_catalog(), "gov-2019", 2020).model();
    // The let is first evaluated inside the check's quantifier, before y is read:
    // sharing y's slot, it would leave y = 9 and count 1.
    const std::string lets = "    let:\n      n: 'count(x in [7, 8, 9], x > 0)'\n";
    CHECK(outcome(m, "count(y in [1, 2], n == 3 and y < 5) == 2", lets) == "pass");
    CHECK(outcome(m, "sum(y in [1, 2], n + y) == 9", lets) == "pass");
}

TEST_CASE("eval fast paths: a let is kept while the bindings it reads hold still") {
    ReportModel m = fixture::ModelBuilder(test_catalog(), "gov-2019", 2020).model();
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(R"(  - id: LEVELS
    severity: error
    kind: consistency
    for:
      - a in [1, 2]
      - b in [10, 20]
    let:
      outer: a * 100
      both: a + b
      none: count(x in [1, 2, 3], x > 0)
      through: outer + 1
    check: both != 12 and both != 21 and none == 3
    message: "{outer} {both} {none} {through}"
)")}},
                                         test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    const auto& rule = set.program().rules.back();
    REQUIRE(rule.let_levels.size() >= 4);
    CHECK(rule.let_levels[0] == 1);  // outer: a
    CHECK(rule.let_levels[1] == 2);  // both: a and b
    CHECK(rule.let_levels[2] == 0);  // none: no binding
    CHECK(rule.let_levels[3] == 1);  // through: a, by way of outer
    // The checks between the failing ones pass silently, keeping outer, none
    // and through; both is worked out again for every b.
    auto findings = evaluate(set, m);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].binding == "a=1, b=20");
    CHECK(findings[0].message == "100 21 3 101");
    CHECK(findings[1].binding == "a=2, b=10");
    CHECK(findings[1].message == "200 12 3 201");
}

TEST_CASE("eval fast paths: r[c] read four times is one let, its cell recorded once") {
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(R"(  - id: COUNT
    severity: error
    kind: format
    for:
      - r in 表三.rows
      - c in 表三.columns
    when: present(r[c])
    check: r[c] >= 0 and round(r[c]) == r[c]
    message: "{r.id}×{c.id} = {r[c]}"
)")}},
                                         test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    const auto& rule = set.program().rules.at(0);
    REQUIRE(rule.lets.size() == 1);
    CHECK(rule.lets[0].op == program::Op::Index);
    REQUIRE(rule.when);
    CHECK(rule.when->kids.at(0).op == program::Op::Let);

    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "2", "-3", "0", "0", "1.5", "1.5"}}});
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 3);
    CHECK(findings[0].message == "本年新收×科研机构 = -3");
    CHECK(findings[1].message == "本年新收×其他 = 1.5");
    CHECK(findings[2].message == "本年新收×总计 = 1.5");
    for (const auto& f : findings) {
        REQUIRE(f.cells.size() == 1);
        CHECK(f.cells[0].table == "表三");
        CHECK(f.cells[0].row == "本年新收");
    }
    CHECK(findings[0].cells[0].column == "科研机构");
    CHECK(findings[0].location.column == "科研机构");
}

// ---- compiled plans (engine/eval/fast.hpp) -------------------------------------------
// The test binary runs with verification on (tests/unit/main.cpp): every check a
// plan decides is also evaluated in full, and a disagreement throws. These cases
// make sure the plans are really the ones deciding, and that what they cannot
// decide still reaches the general evaluator.

TEST_CASE("eval plans: decide nearly every check of the corpus reports, with the same findings") {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    std::vector<RuleDiagnostic> errors;
    RuleSet rules = compile_rule_packs(standard_rule_pack_files(), catalog, errors);
    REQUIRE(errors.empty());
    for (const char* seed : {"000_831a942c0d0dfd8c.txt", "001_64c08c7c78b4b61b.txt", "002_0ec7f487509b9c4f.txt",
                             "003_facd0ed23eb95129.txt", "004_361d8fbe3341eb2a.txt"}) {
        CAPTURE(seed);
        ReportModel model = build_model(read_document(std::string(GOUJI_TEST_DIR) + "/corpus/seeds/" + seed), catalog);
        EvaluationStats stats;
        auto findings = evaluate(rules, model, &stats);
        // Every check that passes or is skipped; the general evaluator sees only the findings.
        CHECK(stats.planned + stats.failed + stats.not_assessable == stats.checks);
        CHECK(stats.planned >= stats.checks * 9 / 10);
        CHECK(stats.failed + stats.not_assessable == findings.size());
    }
}

// A rule that reads its `for` variables only as the cell r[c] has its verdict
// worked out once per distinct number (Plan::one_cell); without verification the
// checks whose number was seen before are only counted. Either way the same findings and counts.
TEST_CASE("eval plans: checks of one cell each are decided once per number, with the same findings and counts") {
    const std::string one_cell_rules =
        "  - id: COUNT\n    severity: error\n    kind: format\n    for:\n      - r in 表三.rows\n"
        "      - c in 表三.columns\n    when: present(r[c])\n    check: r[c] >= 0 and round(r[c]) == r[c]\n"
        "  - id: CELL\n    severity: warning\n    kind: required\n    for:\n      - r in 表三.rows\n"
        "      - c in 表三.columns\n    when: 表三.found\n    check: present(r[c])\n"
        // Skipped by its `when` for most numbers, passing for the others.
        "  - id: POSITIVE\n    severity: error\n    kind: format\n    for:\n      - r in 表三.rows\n"
        "      - c in 表三.columns\n    when: r[c] > 0\n    check: r[c] < 100\n"
        // Columns first: the last `for` binds the row.
        "  - id: BY-COLUMN\n    severity: error\n    kind: format\n    for:\n      - c in 表三.columns\n"
        "      - r in 表三.rows\n    when: present(r[c])\n    check: r[c] != 1.5\n"
        // Reads c itself: its verdict is not the cell's number's alone.
        "  - id: NAMED\n    severity: error\n    kind: format\n    for:\n      - r in 表三.rows\n"
        "      - c in 表三.columns\n    when: present(r[c])\n    check: r[c] < 3 or c.id == \"总计\"\n";
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(one_cell_rules)}}, test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    // "number" when the verdict depends on the cell's number, "presence" when only on present(r[c]).
    std::map<std::string, std::string> one_cell;
    for (const auto& rule : set.program().rules)
        if (rule.fast && rule.fast->one_cell) one_cell[rule.id] = rule.fast->one_cell->number_read ? "number" : "presence";
    CHECK(one_cell["COUNT"] == "number");
    CHECK(one_cell["CELL"] == "presence");
    CHECK(one_cell["POSITIVE"] == "number");
    CHECK(one_cell["BY-COLUMN"] == "number");
    CHECK(one_cell.count("NAMED") == 0);

    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    // 0 and 1 again and again; -1 and 1.5 twice each, each time a finding; a blank.
    b.table("表三", {{"本年新收", {"1", "0", "-1", "0", "1", "1.5", "3"}},
                     {"上年结转", {"0", "-1", "1.5", "", "0", "0", "1"}},
                     {"予以公开", {"1", "0", "0", "0", "0", "0", "1"}}});
    ReportModel m = b.model();
    auto run = [&](bool verify) {
        struct Verification {  // back on (tests/unit/main.cpp) however the evaluation ends
            explicit Verification(bool on) { gouji::eval::fast::set_verification(on); }
            ~Verification() { gouji::eval::fast::set_verification(true); }
        } verification(verify);
        EvaluationStats stats;
        std::vector<std::string> found;
        for (const auto& f : evaluate(set, m, &stats)) found.push_back(f.rule + " [" + f.binding + "] " + f.message);
        return std::pair{found, stats};
    };
    auto [verified, verified_stats] = run(true);
    auto [counted, counted_stats] = run(false);
    CHECK(counted == verified);
    CHECK(counted_stats.checks == verified_stats.checks);
    CHECK(counted_stats.passed == verified_stats.passed);
    CHECK(counted_stats.skipped_by_when == verified_stats.skipped_by_when);
    CHECK(counted_stats.planned == verified_stats.planned);
    CHECK(counted_stats.failed == verified_stats.failed);
    // Both -1s and both 1.5s, and the blank (COUNT skips it, CELL reports it).
    auto count_of = [&](const std::string& prefix) {
        return std::count_if(counted.begin(), counted.end(), [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
    };
    CHECK(count_of("COUNT [") == 4);
    CHECK(count_of("CELL [") >= 1);
    CHECK(count_of("BY-COLUMN [") == 2);
}

TEST_CASE("eval plans: a figure's approximate is read by the plan, and decides as the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    std::size_t total = 0, exact = 0, about = 0;
    b.figure("约30件", "共收到申请", 1, 3, &total).figure("10件", "其中网上申请", 1, 3, &exact).figure("约20件", "当面申请", 1, 3, &about);
    b.list(total, {{exact, std::nullopt, "网上申请"}, {about, std::nullopt, "当面申请"}}, false, "共收到申请约30件……");
    b.list(exact, {{exact, std::nullopt, "网上申请"}}, false, "网上申请10件");
    ReportModel m = b.model();
    m.figures[total].value.approximate = true;  // as the narrative reader marks "约"
    m.figures[about].value.approximate = true;
    // Every check runs both ways (verification): the plan's answer is the general evaluator's.
    CHECK(outcome(m, "first(lists).total.approximate") == "pass");
    CHECK(outcome(m, "not last(lists).total.approximate") == "pass");
    CHECK(outcome(m, "any(p in first(lists).parts, p.count.approximate)") == "pass");
    CHECK(outcome(m, "all(p in first(lists).parts, not p.count.approximate)") == "fail");
    CHECK(outcome(m, "count(filter(l in lists, not l.total.approximate)) == 1") == "pass");
}

TEST_CASE("eval plans: a figure picked by its texts is tested on the figure, and decides as the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.figure("12件", "不予公开", 1, 3)
        .figure("3件", "行政复议", 1, 4)
        .figure("5件", "部分公开", 1, 5)
        .figure("7件", "予以公开\n", 1, 6)  // `$` also matches before the break: ICU decides
        .figure("40%", "占比", 1, 7)
        .figure("2件", "其他", 1, 8);
    ReportModel m = b.model();
    // Every check runs both ways (verification): a plan that disagreed would throw.
    CHECK(outcome(m, "count(filter(x in figures, x.unit == \"件\")) == 5") == "pass");
    CHECK(outcome(m, "count(filter(x in figures, \"件\" == x.unit or x.unit == \"%\")) == 6") == "pass");
    CHECK(outcome(m, "count(filter(x in figures, x.unit != \"件\")) == 1") == "pass");
    CHECK(outcome(m, "count(filter(x in figures, matches(x.context, \"公开$\") and not matches(x.context, \"部分\"))) == 2") ==
          "pass");
    CHECK(outcome(m, "count(filter(x in figures, matches(x.context, \"^予以公开$\"))) == 1") == "pass");
    CHECK(outcome(m, "count(filter(x in figures, x.text == \"40%\" or x.context == \"其他\")) == 2") == "pass");
    CHECK(outcome(m, "all(x in figures, not (x.unit == \"件\" and matches(x.context, \"复议$\")) or x.value == 3)") == "pass");
    CHECK(outcome(m, "any(x in figures, x.unit == \"%\" and matches(x.context, \"复议\"))") == "fail");
    // A plan is trusted when it passes, so each kind of test also meets a check
    // that must fail: a plan answering `!=` as `==`, or a fallback saying yes,
    // would pass it.
    CHECK(outcome(m, "count(filter(x in figures, x.unit != \"件\")) == 5") == "fail");
    CHECK(outcome(m, "count(filter(x in figures, x.unit == \"件\")) == 1") == "fail");
    CHECK(outcome(m, "count(filter(x in figures, not (x.context != \"其他\"))) == 0") == "fail");
    CHECK(outcome(m, "count(filter(x in figures, matches(x.context, \"^予以公开$\"))) == 0") == "fail");
    CHECK(outcome(m, "count(filter(x in figures, matches(x.context, \"^部分公开$\"))) == 2") == "fail");
    // As a rule's `when`: only the figures it picks are checked.
    auto findings = rule_findings(m, "consistency",
                                  "    for: f in figures\n"
                                  "    when: f.unit == \"件\" and not matches(f.context, \"(予以|部分)公开$\")\n"
                                  "    check: f.value > 10\n");
    REQUIRE(findings.size() == 2);  // 12件 passes, 3件 and 2件 fail; 5件 and 7件 are not picked
    CHECK(findings[0].location.pos.line == 4);
    CHECK(findings[1].location.pos.line == 8);
    // A context that ends in a line break, before which `$` matches too: ICU's answer.
    // The lines of the figures a `when` of "^予以公开$" picks (each then fails).
    auto picked_lines = [](const ReportModel& model) {
        std::vector<std::uint32_t> lines;
        for (const auto& f : rule_findings(model, "consistency",
                                           "    for: f in figures\n"
                                           "    when: matches(f.context, \"^予以公开$\")\n"
                                           "    check: f.value == 0\n"))
            lines.push_back(f.location.pos.line);
        return lines;
    };
    CHECK(picked_lines(m) == std::vector<std::uint32_t>{6});
    // ... and where ICU says no: "部分公开\n" is not "予以公开", break or not.
    fixture::ModelBuilder broken(test_catalog(), "gov-2019", 2020);
    broken.figure("5件", "部分公开\n", 1, 3).figure("7件", "予以公开\n", 1, 4);
    ReportModel mb = broken.model();
    CHECK(outcome(mb, "count(filter(x in figures, matches(x.context, \"^予以公开$\"))) == 2") == "fail");
    CHECK(outcome(mb, "all(x in figures, not matches(x.context, \"^部分公开$\") or x.value == 5)") == "pass");
    CHECK(picked_lines(mb) == std::vector<std::uint32_t>{4});
    CHECK(outcome(m, "count(filter(x in figures, matches(x.context, \"公开$\") and not matches(x.context, \"部分\"))) < 2") ==
          "fail");
}

TEST_CASE("eval plans: a missing cell, a figure without a number and a text are left to the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "", "3", "0", "0", "1", "5"}}});
    ReportModel m = b.model();
    // A plan says "missing" here; the general evaluator says what is missing.
    std::string na = outcome(m, "表三.本年新收.商业企业 + 1 == 2");
    CHECK(na.find("not assessable") == 0);
    CHECK(na.find("商业企业") != std::string::npos);
    // present() of a blank cell is decided by the plan, both ways.
    CHECK(outcome(m, "not present(表三.本年新收.商业企业)") == "pass");
    CHECK(outcome(m, "present(表三.本年新收.自然人) and present(表三.本年新收[\"总计\"])") == "pass");
    // Kleene logic: false and missing is false; true or missing is true.
    CHECK(outcome(m, "not (表三.本年新收.自然人 == 2 and 表三.本年新收.商业企业 == 1)") == "pass");
    CHECK(outcome(m, "表三.本年新收.自然人 == 1 or 表三.本年新收.商业企业 == 1") == "pass");
    // A sum over a slice of the row with a blank cell is missing, not a number.
    CHECK(outcome(m, "sum(表三.本年新收[自然人:其他]) == 5").find("not assessable") == 0);
    CHECK(outcome(m, "sum(表三.本年新收[科研机构:其他]) == 4") == "pass");
}

// NARR-PCT's check, `if base == 0 then p.percent == 0 else within(…)`: a condition
// chosen by a condition is the plan's (IfCondition), not the general evaluator's.
TEST_CASE("eval plans: if … then a condition else a condition decides as the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "", "3", "0", "0", "1", "5"}}});
    ReportModel m = b.model();
    // The findings and the checks the plan decided, of a rule whose check is `check`
    // about r, the row 本年新收 (a check that reads no binding is kept for the report).
    auto run = [&](const std::string& check) {
        const std::string body = "    for: r in 表三.rows[0:1]\n    check: '" + check + "'\n";
        // Nothing of the check is left to the general evaluator but the failing
        // checks' second, recording evaluation.
        CHECK(one_rule("consistency", body).program().rules.at(0).fast->general_parts == 0);
        return findings_and_planned(m, "consistency", body);
    };
    // Each branch taken, passing: decided by the plan (verification, on in the tests,
    // compares it with the general evaluator).
    auto [then_passes, then_planned] = run("if r.自然人 == 1 then r.科研机构 == 3 else false");
    CHECK(then_passes.empty());
    CHECK(then_planned == 1);
    auto [else_passes, else_planned] = run("if r.自然人 == 2 then false else within(r.科研机构, 3.2, 0.5)");
    CHECK(else_passes.empty());
    CHECK(else_planned == 1);
    // Each branch failing: left to the general evaluator, which explains it.
    auto [then_fails, then_fails_planned] = run("if r.自然人 == 1 then r.科研机构 == 4 else true");
    REQUIRE(then_fails.size() == 1);
    CHECK(then_fails[0].assessable);
    CHECK(then_fails_planned == 0);
    auto [else_fails, else_fails_planned] = run("if r.自然人 != 1 then true else r.其他 == 2");
    REQUIRE(else_fails.size() == 1);
    CHECK(else_fails[0].assessable);
    CHECK(else_fails_planned == 0);
    // A condition that reads a blank cell chooses no branch: not assessable, naming the cell.
    auto [blank, blank_planned] = run("if r.商业企业 == 0 then true else true");
    REQUIRE(blank.size() == 1);
    CHECK_FALSE(blank[0].assessable);
    CHECK(blank[0].message.find("商业企业") != std::string::npos);
    CHECK(blank_planned == 0);
}

// T3-ROW-SUM's applicants and T3-OUTCOME-SUM's outcomes: a sum over a list kept for
// the report of r[x], or of `if absent(r[x]) then 0 else r[x]`, reads each cell by
// its row and column (CellSumNum). Verification (on in the tests) compares each
// check it passes with the general evaluator; the failing and missing ones are
// the general evaluator's, and the plan must not have passed them.
TEST_CASE("eval plans: a sum of one row's or one column's cells decides as the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    // 商业企业 blank (missing, not absent); 上年结转 and the other rows not in the table.
    b.table("表三", {{"本年新收", {"1", "", "3", "0", "0", "1", "5"}}});
    ReportModel m = b.model();
    auto run = [&](const std::string& for_line, const std::string& check) {
        return findings_and_planned(m, "sum", "    for: " + for_line + "\n    check: '" + check + "'\n");
    };
    // Along a row: the columns a slice keeps, the row the `for` binds.
    auto [row_sum, row_planned] = run("r in 表三.rows[0:1]", "r.总计 == sum(c in 表三.columns[科研机构:其他], r[c]) + 1");
    CHECK(row_sum.empty());
    CHECK(row_planned == 1);
    // Down a column, a row not in the table read as 0: 1 + 0.
    auto [column_sum, column_planned] =
        run("c in 表三.columns[自然人:自然人]", "sum(x in 表三.rows[0:2], if absent(x[c]) then 0 else x[c]) == 1");
    CHECK(column_sum.empty());
    CHECK(column_planned == 1);
    // The `then` as written: a row not in the table read as 2, 1 + 2.
    auto [then_two, then_two_planned] =
        run("c in 表三.columns[自然人:自然人]", "sum(x in 表三.rows[0:2], if absent(x[c]) then 2 else x[c]) == 3");
    CHECK(then_two.empty());
    CHECK(then_two_planned == 1);
    // A wrong sum fails, with its numbers.
    auto [wrong, wrong_planned] = run("r in 表三.rows[0:1]", "sum(c in 表三.columns[科研机构:其他], r[c]) == 5");
    REQUIRE(wrong.size() == 1);
    CHECK(wrong[0].assessable);
    CHECK(wrong_planned == 0);
    // A blank cell is missing, not absent: not assessable, naming it, even where
    // absent cells are read as 0.
    auto [blank, blank_planned] =
        run("r in 表三.rows[0:1]", "sum(c in 表三.columns[自然人:科研机构], if absent(r[c]) then 0 else r[c]) == 4");
    REQUIRE(blank.size() == 1);
    CHECK_FALSE(blank[0].assessable);
    CHECK(blank[0].message.find("商业企业") != std::string::npos);
    CHECK(blank_planned == 0);
    // A row absent from the table, summed without `if absent`: missing too.
    auto [absent, absent_planned] = run("c in 表三.columns[自然人:自然人]", "sum(x in 表三.rows[0:2], x[c]) == 1");
    REQUIRE(absent.size() == 1);
    CHECK_FALSE(absent[0].assessable);
    CHECK(absent_planned == 0);
}

// Plan::general_parts counts what the general evaluator works out each time it is
// read. absent(r[c]) and placed(r[c]) of a row and a column are the plan's
// (CellStateCondition), as r[c] is (BoundCellNum): none counts its fallback for other
// values, which is there in case the variables are not a row and a column of one table.
TEST_CASE("eval plans: absent(r[c]), placed(r[c]) and r[c] of a row and a column leave nothing to the general evaluator") {
    auto parts = [&](const std::string& for_line, const std::string& check) {
        RuleSet set = one_rule("sum", "    for: " + for_line + "\n    check: '" + check + "'\n");
        return set.program().rules.at(0).fast->general_parts;
    };
    // T3-ROW-SUM's and T4-ROW-SUM's sum (CellSumNum, and the BoundNum it keeps for other lists).
    CHECK(parts("r in 表三.rows", "r.总计 == sum(c in 表三.columns[自然人:其他], if absent(r[c]) then 0 else r[c])") == 0);
    CHECK(parts("r in 表三.rows", "r.总计 == sum(c in 表三.columns[自然人:其他], r[c])") == 0);
    // The same cells as a check of their own.
    CHECK(parts("r in 表三.rows", "all(c in 表三.columns[自然人:其他], absent(r[c]) or r[c] >= 0)") == 0);
    // T3-CELL's and T3-ROW-MISSING's rows whose numbers could not be placed (it was
    // the general evaluator's, 10 % of checking seed 000).
    CHECK(parts("r in 表三.rows", "all(c in 表三.columns, placed(r[c]))") == 0);
    // A text chosen by `if` (NARR-T3-REASON's outcome, NARR-T4-LITIGATION's row).
    CHECK(parts("r in 表三.rows", "(if r.id == \"本年新收\" then \"新\" else \"旧\") != \"\"") == 0);
    // What is the general evaluator's is counted: `x in list` of a number is not planned.
    CHECK(parts("r in 表三.rows", "all(c in 表三.columns[自然人:其他], absent(r[c]) or r[c] in [0, 1])") == 1);
    // Once, though a sum's sides are lowered again for suggestions (Plan::lhs, rhs).
    CHECK(parts("r in 表三.rows", "r.总计 == sum(c in 表三.columns[自然人:其他], if r[c] in [0, 1] then r[c] else 0)") == 1);
}

TEST_CASE("eval plans: absent(r[c]) and a `for` list chosen by it decide as the general evaluator") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    // 本年新收 whole; 上年结转 a blank and a cell whose number could not be placed; the
    // other rows not there, and no row has the 总计 cell.
    b.table("表三", {{"本年新收", {"1", "0", "3", "0", "0", "1"}}, {"上年结转", {"", "0", "0", "0", "0", "0"}}});
    ReportModel m = b.model();
    m.tables[0].cells[1][1]->value = Value::missing_because(MissingReason::Unplaced);
    const std::size_t rows = m.tables[0].cells.size();
    // Verification (on in the tests) evaluates every planned check and `for` list both ways.
    auto missing_rows = rule_findings(m, "required",
                                      "    for: r in filter(x in 表三.rows, all(z in 表三.columns, absent(x[z])))\n"
                                      "    check: r.id == \"本年新收\"\n");
    CHECK(missing_rows.size() == rows - 2);
    // placed(), as T3-CELL picks its rows: only 上年结转 has a cell that could not be placed.
    auto unplaced_rows = rule_findings(m, "required",
                                       "    for: r in filter(x in 表三.rows, not all(z in 表三.columns, placed(x[z])))\n"
                                       "    check: r.id == \"本年新收\"\n");
    REQUIRE(unplaced_rows.size() == 1);
    CHECK(unplaced_rows[0].binding == "r=上年结转");
    auto printed_columns = rule_findings(m, "required",
                                         "    for: c in filter(x in 表三.columns, all(w in 表三.rows, absent(w[x])))\n"
                                         "    check: c.id == \"自然人\"\n");
    REQUIRE(printed_columns.size() == 1);
    CHECK(printed_columns[0].binding == "c=总计");
    // A blank and an unplaced cell are not absent; a cell of a row not there is.
    auto absent_cells = rule_findings(m, "required",
                                      "    for:\n      - r in 表三.rows[0:3]\n      - c in 表三.columns\n"
                                      "    check: not absent(r[c])\n");
    std::vector<std::string> bindings;
    for (const auto& f : absent_cells) bindings.push_back(f.binding);
    CHECK(bindings.size() == 2 + 7);
    CHECK(bindings.front() == "r=本年新收, c=总计");
    CHECK(bindings[1] == "r=上年结转, c=总计");
}

// `表三.found and …`: the leading conjuncts of a `when` that hold for every binding
// are tested once per rule run (Plan::when_once), the rest per check.
TEST_CASE("eval plans: a when's conjuncts the same for every binding are tested once, the rest per check") {
    std::string errors;
    RuleSet set = fixture::compile_texts(
        {{"test.yaml", fixture::pack_with_rules(
                           "  - id: FOUND-FIRST\n    severity: error\n    kind: sum\n    for: c in 表三.columns\n"
                           "    when: 表三.found and not (year < 2000) and present(表三.本年新收[c])\n"
                           "    check: 表三.本年新收[c] == 表三.总计[c]\n"
                           "  - id: FOUND-ONLY\n    severity: error\n    kind: sum\n    for: c in 表三.columns\n"
                           "    when: 表三.found\n    check: 表三.本年新收[c] <= 表三.总计[c]\n"
                           "  - id: FOUND-LATER\n    severity: error\n    kind: sum\n    for: c in 表三.columns\n"
                           "    when: present(表三.本年新收[c]) and 表三.found\n    check: 表三.本年新收[c] >= 0\n")}},
        test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    std::map<std::string, std::pair<bool, bool>> split;  // rule -> (when_once, when left)
    for (const auto& rule : set.program().rules)
        split[rule.id] = {rule.fast->when_once != nullptr, rule.fast->when != nullptr};
    CHECK(split["FOUND-FIRST"] == std::pair{true, true});
    CHECK(split["FOUND-ONLY"] == std::pair{true, false});
    CHECK(split["FOUND-LATER"] == std::pair{false, true});  // only a leading conjunct is hoisted

    // Verification (on in the tests) evaluates each planned check in full as well.
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "2", "0", "0", "0", "0", "3"}}, {"总计", {"1", "2", "0", "0", "0", "0", "4"}}});
    EvaluationStats stats;
    auto found = evaluate(set, b.model(), &stats);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "FOUND-FIRST");
    CHECK(found[0].binding == "c=总计");
    CHECK(stats.planned + 1 == stats.checks);

    // Without the table every check is skipped by its when, decided by the plan.
    fixture::ModelBuilder none(test_catalog(), "gov-2019", 2020);
    EvaluationStats skipped;
    CHECK(evaluate(set, none.model(), &skipped).empty());
    CHECK(skipped.skipped_by_when == skipped.checks);
    CHECK(skipped.planned == skipped.checks);
    CHECK(skipped.checks == 3 * 7);
}

TEST_CASE("eval plans: a param read first silently is recorded by the check that fails") {
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", R"(pack: test
title: test
version: "1"
params:
  big: filter(f in figures, f.unit == "件" and f.value > 2)
rules:
  - id: QUIET
    severity: error
    kind: consistency
    check: count(big) >= 1
  - id: LOUD
    severity: error
    kind: consistency
    check: count(big) == 0
)"}},
                                         test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.section("三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况", 3, "", 1, 9);
    b.figure("1件", "当面申请", 0, 2);
    b.figure("7件", "网络申请", 0, 3);
    b.figure("9条", "主动公开", 0, 4);
    EvaluationStats stats;
    auto findings = evaluate(set, b.model(), &stats);
    CHECK(stats.planned == 1);  // QUIET: the param worked out silently, by its plan
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "LOUD");
    // The figures whose values the param read (those in 件), recorded when LOUD
    // is explained although QUIET read the param first, recording nothing.
    std::vector<std::string> read;
    for (const auto& c : findings[0].cells) read.push_back(c.text);
    CHECK(read == std::vector<std::string>{"1件", "7件"});
}

TEST_CASE("eval plans: a name looked up as a column is not reused as a row's") {
    std::string errors;
    RuleSet set = fixture::compile_texts({{"test.yaml", fixture::pack_with_rules(R"(  - id: NAMED
    severity: error
    kind: consistency
    for: x in [表三.rows[0], 表三.columns[0]]
    check: '表三[x].总计 == 表三.rows[6][表三.columns[0]] or x in 表三.rows'
)")}},
                                         test_catalog(), errors);
    INFO(errors);
    REQUIRE(errors.empty());
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "0", "0", "0", "0", "0", "1"}},
                     {"不掌握", {"5", "0", "0", "0", "0", "0", "5"}},
                     {"总计", {"7", "0", "0", "0", "0", "0", "7"}}});
    // x = 本年新收 passes by `x in 表三.rows`; x = 自然人 compares its 总计 row (7)
    // with 不掌握 (5). Resolving 总计 once for both, as a column, read row 6 (不掌握).
    auto findings = evaluate(set, b.model());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].binding == "x=自然人");
}

TEST_CASE("eval plans: a number let that holds a figure stays a figure") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.section("一、总体情况", "总体情况", 1, "", 1, 9);
    b.figure("6个", "设立公开专栏", 0, 2);
    ReportModel m = b.model();
    // text() of a figure is as written ("6个"), of a number "6": the let must keep
    // what the general evaluator would, whichever evaluator works it out first.
    const std::string lets = "    let:\n      x: 'if year > 0 then first(figures) else 0'\n";
    CHECK(outcome(m, "x >= 0 and not contains(text(x), \"个\")", lets) == "fail");
    CHECK(outcome(m, "x >= 0 and contains(text(x), \"个\")", lets) == "pass");
}

// A let read twice by the next, 24 deep: worked out once each, missing or not (a
// missing one was worked out again at every read, 2²⁴ times, past the work bound).
TEST_CASE("eval plans: a missing let is kept like a number") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "2", "3", "0", "0", "1", "7"}}});
    ReportModel m = b.model();
    auto chain = [](const std::string& first) {
        std::string lets = "    let:\n      a0: " + first + "\n";
        for (int i = 1; i <= 24; ++i)
            lets += "      a" + std::to_string(i) + ": a" + std::to_string(i - 1) + " + a" + std::to_string(i - 1) + "\n";
        return lets;
    };
    CHECK(outcome(m, "a24 >= 0", chain("表三.本年新收.总计")) == "pass");
    CHECK(outcome(m, "a24 >= 0", chain("表三.上年结转.总计")) == "not assessable: 表三.上年结转.总计 (absent)");
    CHECK(outcome(m, "not written(a24) or a24 >= 0", chain("表三.上年结转.总计")) == "pass");
}

TEST_CASE("eval plans: an undecided plan is not charged to the work bound") {
    ReportModel m = fixture::ModelBuilder(test_catalog(), "gov-2019", 2020).model();
    // 54³ innermost checks, about 1.2M steps per evaluation. A failing check
    // whose plan cannot decide is evaluated once in full, recording, within the
    // 2M bound; its plan's attempt on top would exceed it.
    std::string list = "[";
    for (int i = 0; i < 54; ++i) list += (i ? ", " : "") + std::to_string(i);
    list += "]";
    CHECK(outcome(m, "count(a in " + list + ", count(b in " + list + ", count(c in " + list +
                         ", a + b + c >= 0) > 0) > 0) == 0") == "fail");
}

TEST_CASE("eval plans: a sum's coefficients are read off its cells, anything else is probed") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.table("表三", {{"本年新收", {"1", "2", "3", "0", "0", "1", "5"}}});
    ReportModel m = b.model();
    // Each table cell's coefficient in lhs − rhs of one failing sum check.
    auto coefficients = [&](const std::string& check) {
        auto findings = rule_findings(m, "sum", "    check: '" + check + "'\n");
        REQUIRE(findings.size() == 1);
        std::map<std::string, std::optional<double>> out;
        for (const auto& c : findings[0].cells) out[c.path] = c.coefficient;
        return out;
    };
    // A cell read twice counts twice; the right side counts negatively.
    auto sum = coefficients("表三.本年新收.自然人 + 表三.本年新收.自然人 - 表三.本年新收.商业企业 == 表三.本年新收.总计");
    CHECK(sum["表三.本年新收.自然人"] == 2.0);
    CHECK(sum["表三.本年新收.商业企业"] == -1.0);
    CHECK(sum["表三.本年新收.总计"] == -1.0);
    CHECK(coefficients("sum(表三.本年新收[自然人:科研机构]) == 表三.本年新收.总计")["表三.本年新收.商业企业"] == 1.0);
    // A term chosen by whether a cell is there (not by its number) is still read off the cells.
    CHECK(coefficients("sum(c in 表三.columns[自然人:其他], if absent(表三.本年新收[c]) then 0 else 表三.本年新收[c]) == "
                       "表三.本年新收.总计")["表三.本年新收.商业企业"] == 1.0);
    // A product is not a sum of cells: each cell's slope is probed (1 × 3 changes by 3 with 自然人).
    auto product = coefficients("表三.本年新收.自然人 * 表三.本年新收.科研机构 == 表三.本年新收.总计");
    CHECK(product["表三.本年新收.自然人"] == 3.0);
    CHECK(product["表三.本年新收.科研机构"] == 1.0);
    CHECK(product["表三.本年新收.总计"] == -1.0);
}

TEST_CASE("eval: each finding lists the values an invariant read, however often it is reused") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.section("一、总体情况", "总体情况", 1, "收到申请7件。", 1, 3);
    b.figure("7件", "收到申请", 0, 2);
    b.table("表三", {{"本年新收", {"1", "2", "3", "0", "0", "1", "5"}}});
    ReportModel m = b.model();
    // Two failing bindings read the same invariant figure; the rows are chosen
    // by an invariant that reads no value at all.
    auto findings = rule_findings(m, "consistency",
                                  "    for: c in [\"自然人\", \"商业企业\"]\n"
                                  "    check: 'first(filter(f in figures, f.context == \"收到申请\")).value == "
                                  "sum(r in filter(x in 表三.rows, x.id == \"本年新收\"), r[c])'\n");
    REQUIRE(findings.size() == 2);
    for (const auto& f : findings) {
        CAPTURE(f.binding);
        REQUIRE(f.cells.size() == 2);
        CHECK(f.cells[0].path == "narrative: 收到申请");
        CHECK(f.cells[1].table == "表三");
    }
    CHECK(findings[0].cells[1].column == "自然人");
    CHECK(findings[1].cells[1].column == "商业企业");
}

namespace {

std::optional<double> coefficient_of(const Finding& f, const std::string& path) {
    for (const auto& c : f.cells)
        if (c.path == path) return c.coefficient;
    FAIL("no cell " << path);
    return std::nullopt;
}

}  // namespace

TEST_CASE("eval plans: a cell that chooses what a sum reads is probed, not read off the sum") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.figure("7件", "收到申请", 0, 2);
    b.table("表三", {{"本年新收", {"1", "2", "3", "0", "0", "1", "5"}}, {"上年结转", {"0", "0", "0", "0", "0", "0", "0"}}});
    ReportModel m = b.model();
    // 本年新收.总计 chooses the row through a let: moved to the value that would
    // balance the sum, no row is chosen, so it has no coefficient.
    auto chosen_row = rule_findings(m, "sum", "    let:\n      r: 'first(filter(x in 表三.rows, x.总计 > 4))'\n"
                                      "    check: 'r.自然人 + r.商业企业 == r.总计'\n");
    REQUIRE(chosen_row.size() == 1);
    CHECK_FALSE(coefficient_of(chosen_row[0], "表三.本年新收.总计").has_value());
    // A cell choosing a figure.
    auto chosen_figure =
        rule_findings(m, "sum", "    for: c in [\"总计\"]\n"
                        "    check: 'first(filter(f in figures, f.value > 表三.本年新收[c])).value == 表三.本年新收[c]'\n");
    REQUIRE(chosen_figure.size() == 1);
    CHECK_FALSE(coefficient_of(chosen_figure[0], "表三.本年新收.总计").has_value());
}

TEST_CASE("eval plans: a sum's coefficients agree with probing for decimals and large differences") {
    const std::string check = "    check: '表三.本年新收.自然人 + 表三.本年新收.商业企业 == 表三.本年新收.总计'\n";
    fixture::ModelBuilder decimals(test_catalog(), "gov-2019", 2020);
    decimals.table("表三", {{"本年新收", {"1.1", "2.2", "0", "0", "0", "0", "5.5"}}});
    auto d = rule_findings(decimals.model(), "sum", check);
    REQUIRE(d.size() == 1);
    CHECK(*coefficient_of(d[0], "表三.本年新收.自然人") == 1.0);  // exact: a probe's slope is 1.0000000000000004
    // A slope of 1 is the relation's beside a difference of two thousand million
    // too (money in 元 runs to billions), by the plan's sums and by probing alike.
    fixture::ModelBuilder large(test_catalog(), "gov-2019", 2020);
    large.table("表三", {{"本年新收", {"1", "2", "0", "0", "0", "0", "2000000000"}}});
    auto l = rule_findings(large.model(), "sum", check);
    REQUIRE(l.size() == 1);
    CHECK(*coefficient_of(l[0], "表三.本年新收.自然人") == 1.0);
    CHECK(*coefficient_of(l[0], "表三.本年新收.总计") == -1.0);
}

TEST_CASE("eval: two figures with the same text at one position are two values of a finding") {
    fixture::ModelBuilder b(test_catalog(), "gov-2019", 2020);
    b.section("一、总体情况", "总体情况", 1, "收到申请8件，其中当面申请8件。", 1, 3);
    b.figure("8件", "收到申请", 0, 2);
    b.figure("8件", "当面申请", 0, 2);  // the fixture puts every figure of a line at one column
    ReportModel m = b.model();
    auto findings = rule_findings(m, "consistency",
                                  "    for: k in [1]\n"
                                  "    check: 'first(filter(f in figures, k > 0 and f.context == \"收到申请\")).value == "
                                  "first(filter(f in figures, k > 0 and f.context == \"当面申请\")).value + 1'\n");
    REQUIRE(findings.size() == 1);
    REQUIRE(findings[0].cells.size() == 2);
    CHECK(findings[0].cells[0].path == "narrative: 收到申请");
    CHECK(findings[0].cells[1].path == "narrative: 当面申请");
}
