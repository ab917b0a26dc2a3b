// The grammar of the rule language: parse trees of valid text, the position and
// wording of every syntax error, and the grammar's own soundness.
#include <doctest/doctest.h>

#include <malloc.h>

#include <string>
#include <vector>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/grammar.hpp"
#include "grammar/parser.hpp"

namespace {

std::string tree(std::string_view text) { return gouji::ast::to_sexpr(gouji::parse_expression(text)); }

struct ErrorAt {
    std::uint32_t offset = 0;
    std::string message;
};

ErrorAt syntax_error(std::string_view text) {
    try {
        (void)gouji::parse_expression(text);
    } catch (const gouji::SyntaxError& e) {
        return {e.offset(), e.what()};
    }
    return {9999, "no error"};
}

}  // namespace

TEST_CASE("grammar: no rule can loop without consuming input") {
    CHECK(tao::pegtl::analyze<gouji::grammar::expression_text>() == 0);
    CHECK(tao::pegtl::analyze<gouji::grammar::bindings_text>() == 0);
    CHECK(tao::pegtl::analyze<gouji::grammar::message_piece>() == 0);
}

TEST_CASE("grammar: expressions parse with the documented precedence") {
    struct Row {
        const char* text;
        const char* sexpr;
    };
    const Row rows[] = {
        {"1 + 2 * 3", "(+ 1 (* 2 3))"},
        {"1 - 2 - 3", "(- (- 1 2) 3)"},
        {"(1 - 2) / 3", "(/ (- 1 2) 3)"},
        {"-x - -1", "(- (- x) (- 1))"},
        {"12.90", "12.90"},
        {"表三.本年新收.总计 + 表三.上年结转.总计 == 表三.总计.总计 + 表三.结转下年度继续办理.总计",
         "(== (+ (. (. 表三 本年新收) 总计) (. (. 表三 上年结转) 总计)) (+ (. (. 表三 总计) 总计) (. (. 表三 结转下年度继续办理) 总计)))"},
        {"表三.本年新收[c]", "([] (. 表三 本年新收) c)"},
        {"表三[\"予以公开\"][\"自然人\"]", "([] ([] 表三 \"予以公开\") \"自然人\")"},
        {"表三.rows[1:3]", "([:] (. 表三 rows) 1 3)"},
        {"表三.本年新收[商业企业:]", "([:] (. 表三 本年新收) 商业企业 _)"},
        {"xs[:2]", "([:] xs _ 2)"},
        {"表三.group(\"不予公开\")", "(.group 表三 \"不予公开\")"},
        {"表三 . rows", "(. 表三 rows)"},
        {"all(c in 表三.columns, 表三.本年新收[c] >= 0)", "(all (in c (. 表三 columns)) (>= ([] (. 表三 本年新收) c) 0))"},
        {"f()", "(f)"},
        {"[]", "[ ]"},
        {"[1, 2.5, \"a\"]", "[ 1 2.5 \"a\" ]"},
        {"not a and b or c", "(or (and (not a) b) c)"},
        {"not not a", "(not (not a))"},
        {"a not in [1, 2]", "(not in a [ 1 2 ])"},
        {"a in xs", "(in a xs)"},
        {"if a then 1 else 2 + 3", "(if a 1 (+ 2 3))"},
        {"1 + if a then 1 else 2", "(+ 1 (if a 1 2))"},
        {"x ~= 100", "(~= x 100)"},
        {"a <= b", "(<= a b)"},
        {"a != b", "(!= a b)"},
        {"\"a\\\"b\"", "\"a\"b\""},
        {"\"(\\d+)件\\n\"", "\"(\\d+)件\n\""},
        {"'单引号'", "\"单引号\""},
        {"“中文引号”", "\"中文引号\""},
        {"true or false", "(or true false)"},
        {"android", "android"},
        {"iffy", "iffy"},
        {"has_section(\"其他需要报告的事项\")", "(has_section \"其他需要报告的事项\")"},
        {"\n  a +\n  b\n", "(+ a b)"},
        {"a\u3000+\u3000b", "(+ a b)"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        CHECK(tree(row.text) == row.sexpr);
    }
}

TEST_CASE("grammar: numbers keep the decimals they were written with") {
    auto e = gouji::parse_expression("12.90");
    const auto& n = std::get<gouji::ast::Number>(e.node);
    CHECK(n.value == doctest::Approx(12.9));
    CHECK(n.decimals == 2);
    CHECK(n.text == "12.90");
}

TEST_CASE("grammar: offsets are bytes into the text") {
    auto e = gouji::parse_expression("表三.本年新收 + 1");
    CHECK(e.offset == 0);
    CHECK(e.end == std::string("表三.本年新收 + 1").size());
    const auto& b = std::get<gouji::ast::Binary>(e.node);
    CHECK(b.op_offset == std::string("表三.本年新收 ").size());
    const auto& m = std::get<gouji::ast::Member>(b.left->node);
    CHECK(m.name_offset == std::string("表三.").size());
    CHECK(b.right->offset == std::string("表三.本年新收 + ").size());
}

TEST_CASE("grammar: syntax errors say what was expected, where") {
    struct Row {
        const char* text;
        std::uint32_t offset;
        const char* message;
    };
    const Row rows[] = {
        {"", 0, "expected an expression"},
        {"1 +", 3, "expected an operand after the operator"},
        {"1 + * 2", 4, "expected an operand after the operator"},
        // A quote or bracket never closed is said where it opens, with what to add.
        {"(1 + 2", 0, "this '(' is never closed: add ')' at the end of the expression"},
        {"(1 + 2) * (3", 10, "this '(' is never closed: add ')' at the end of the expression"},
        {"(1 + 2 3)", 7, "expected ')'"},  // closed after the slip: not a bracket left open
        {"f([1, 2", 2, "this '[' is never closed: add '])' at the end of the expression (the '(' before it is not closed either)"},
        {"f(g(x[1", 5, "this '[' is never closed: add ']))' at the end of the expression (the brackets before it are not closed either)"},
        {"sum(x[1:3] > 5", 3, "this '(' after sum is never closed: add ')' where its arguments end, before the '>'"},
        {"sum(p in l, p > 5", 3, "this '(' after sum is never closed: add ')' at the end of the expression"},
        {"any(x in l, x > 5", 3, "this '(' after any is never closed: add ')' at the end of the expression"},
        {"sum(x[1:3) > 0", 5, "this '[' is never closed: add ']' before the ')'"},
        {"matches(t, \"申请)", 11, "the text opened by this \" is never closed: add the closing \" where it ends, before the ')' at the end of the line: \"申请\")"},
        {"matches(t, “申请)", 11, "the text opened by this “ is never closed: add the closing ” where it ends, before the ')' at the end of the line: “申请”)"},
        {"x == 'a\\'b", 5, "the text opened by this ' is never closed: add the closing ' where it ends"},
        {"a = b", 2, "'=' is not an operator: write '==' to compare"},
        {"a == b == c", 7, "comparisons cannot be chained: join them with 'and'"},
        {"if a then b", 11, "expected 'else': an 'if' needs both branches"},
        {"if a b", 5, "expected 'then' after the condition of 'if'"},
        {"\"abc", 0, "the text opened by this \" is never closed: add the closing \" where it ends"},
        {"\"ab\\", 4, "unterminated string: it ends in a backslash"},
        {"x.", 2, "expected a name after '.'"},
        {"x.1", 2, "expected a name after '.'"},
        {"x[]", 2, "expected an index or a slice inside '[ ]'"},
        {"x[1", 1, "this '[' is never closed: add ']' at the end of the expression"},
        {"f(1, )", 5, "expected an expression"},
        {"f(1 2)", 4, "expected ',' or ')' in the argument list"},
        {"[1 2]", 3, "expected ',' or ']' in the list"},
        {"1 2", 2, "unexpected text: expected an operator or the end of the expression"},
        {"a and", 5, "expected an operand after 'and'"},
        {"a or", 4, "expected an operand after 'or'"},
        {"not", 3, "expected an operand after 'not'"},
        {"a <", 3, "expected an operand after the comparison"},
        {"- ", 2, "expected an operand after '-'"},
        {"表三。本年新收", 6, "unexpected text: expected an operator or the end of the expression: '。' only looks like '.'; write it in ASCII"},
        {"表三.总计.总计 ＝＝ 1", 21, "unexpected text: expected an operator or the end of the expression: '＝＝' only looks like '=='; write it in ASCII"},
        // A look-alike whose ASCII is no operator either says what to write instead.
        {"表三.总计.总计 ＝ 1", 21, "unexpected text: expected an operator or the end of the expression: '＝' only looks like '=', which is no operator either: write '=='"},
        {"a ＆＆ b", 2, "unexpected text: expected an operator or the end of the expression: '＆＆' only looks like '&&', which is no operator either: write 'and'"},
        {"a ｜｜ b", 2, "unexpected text: expected an operator or the end of the expression: '｜｜' only looks like '||', which is no operator either: write 'or'"},
        {"a ＜＞ b", 2, "unexpected text: expected an operator or the end of the expression: '＜＞' only looks like '<>', which is no operator either: write '!='"},
        {"a ≈ b", 2, "unexpected text: expected an operator or the end of the expression: '≈' is not an operator: write '~='"},
        {"a ！= b", 2, "unexpected text: expected an operator or the end of the expression: '！=' only looks like '!='; write it in ASCII"},
        {"a ＞= b", 2, "unexpected text: expected an operator or the end of the expression: '＞=' only looks like '>='; write it in ASCII"},
        {"a − b", 2, "unexpected text: expected an operator or the end of the expression: '−' only looks like '-'; write it in ASCII"},
        {"a × b", 2, "unexpected text: expected an operator or the end of the expression: '×' is not an operator: write '*'"},
        {"a ÷ b", 2, "unexpected text: expected an operator or the end of the expression: '÷' is not an operator: write '/'"},
        {"表三.总计.总计 ≥ 0", 21, "unexpected text: expected an operator or the end of the expression: '≥' only looks like '>='; write it in ASCII"},
        {"sum（表三.rows）", 3, "unexpected text: expected an operator or the end of the expression: '（' only looks like '('; write it in ASCII"},
        {"1 аnd 2", 2, "unexpected text: expected an operator or the end of the expression: 'а' only looks like 'a'; write it in ASCII"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        auto err = syntax_error(row.text);
        CHECK(err.message == row.message);
        CHECK(err.offset == row.offset);
    }
}

TEST_CASE("grammar: nesting is bounded") {
    std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
    auto err = syntax_error(deep);
    CHECK(err.message == "expression nested too deeply (more than 200 levels)");
    CHECK(err.offset == 200);

    std::string ok = std::string(150, '(') + "1" + std::string(150, ')');
    CHECK(tree(ok) == "1");

    std::string chain = "1";
    for (int i = 0; i < 1500; ++i) chain += "+1";
    CHECK(syntax_error(chain).message.starts_with("expression too long: more than 1000 operations one after another"));
    // Runs of a few terms, each with the one before in parentheses: deep, not long.
    std::string nested = std::string(199, '(') + "1";
    for (int i = 0; i < 199; ++i) nested += "+1+1+1+1+1+1)";
    CHECK(syntax_error(nested).message.starts_with("expression too deep: operations nested more than 1000 deep"));

    std::string deep_index = "x";
    for (int i = 0; i < 300; ++i) deep_index += "[:x";
    CHECK(syntax_error(deep_index).message == "expression nested too deeply (more than 200 levels)");
}

TEST_CASE("grammar: prefix operators count toward the nesting bound, as parentheses do") {
    auto repeated = [](std::string_view op, std::size_t n, std::string_view operand) {
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out += op;
        return out + std::string(operand);
    };
    // As many levels as parentheses: 199 around an operand parse, 200 do not.
    CHECK(tree(repeated("not ", 199, "true")).starts_with("(not (not "));
    CHECK(tree(repeated("- ", 199, "1")).starts_with("(- (- "));
    auto nots = syntax_error(repeated("not ", 300, "true"));
    CHECK(nots.message == "expression nested too deeply (more than 200 levels)");
    CHECK(nots.offset == 199 * 4);  // at the operator past the bound
    auto minuses = syntax_error(repeated("-", 300, "1"));
    CHECK(minuses.message == "expression nested too deeply (more than 200 levels)");
    CHECK(minuses.offset == 199);
    // Parentheses and prefix operators add up.
    std::string mixed = repeated("not (", 100, "") + repeated("-(", 100, "1") + std::string(200, ')');
    CHECK(syntax_error(mixed).message == "expression nested too deeply (more than 200 levels)");
    // A chain of any length is refused where it passes the bound, without
    // recursing once for each operator.
    CHECK(syntax_error(repeated("not ", 100000, "true")).message == "expression nested too deeply (more than 200 levels)");
    CHECK(syntax_error(repeated("-", 100000, "1")).message == "expression nested too deeply (more than 200 levels)");
    CHECK(syntax_error(repeated("not ", 50000, repeated("- ", 50000, "1"))).message ==
          "expression nested too deeply (more than 200 levels)");
    auto both = syntax_error(repeated("not ", 150, repeated("- ", 150, "1 < 0")));
    CHECK(both.message == "expression nested too deeply (more than 200 levels)");
    CHECK(both.offset == 150 * 4 + 49 * 2);
    // The levels a prefix took are given back after its operand: many side by side parse.
    CHECK_NOTHROW((void)gouji::parse_expression(repeated("not not true and ", 500, "true")));
    CHECK_NOTHROW((void)gouji::parse_expression(repeated("- - 1 + ", 500, "1")));
}

TEST_CASE("grammar: bindings") {
    auto b = gouji::parse_bindings("c in 表三.columns, r in 表三.group(\"不予公开\")");
    REQUIRE(b.size() == 2);
    CHECK(b[0].name == "c");
    CHECK(gouji::ast::to_sexpr(b[0].collection) == "(. 表三 columns)");
    CHECK(b[1].name == "r");
    CHECK(b[1].name_offset == std::string("c in 表三.columns, ").size());
    try {
        (void)gouji::parse_bindings("c 表三.columns");
        FAIL("no error");
    } catch (const gouji::SyntaxError& e) {
        CHECK(std::string(e.what()) == "expected 'in' after the name of the binding");
        CHECK(e.offset() == 2);
    }
    try {
        (void)gouji::parse_bindings("c in 表三.columns,");
        FAIL("no error");
    } catch (const gouji::SyntaxError& e) {
        CHECK(std::string(e.what()) == "expected a binding such as 'c in 表三.columns'");
    }
}

TEST_CASE("grammar: messages with placeholders and format specs") {
    auto parts = gouji::parse_message("表三「{c}」列：{x / 3:.2f} {{字面}} {表三.rows[1:2]}");
    REQUIRE(parts.size() == 6);
    CHECK(parts[0].text == "表三「");
    CHECK(gouji::ast::to_sexpr(*parts[1].expr) == "c");
    CHECK(parts[1].offset == std::string("表三「{").size());
    CHECK(parts[2].text == "」列：");
    CHECK(gouji::ast::to_sexpr(*parts[3].expr) == "(/ x 3)");
    CHECK(parts[3].spec == ".2f");
    CHECK(parts[4].text == " {字面} ");
    CHECK(gouji::ast::to_sexpr(*parts[5].expr) == "([:] (. 表三 rows) 1 2)");
    try {
        (void)gouji::parse_message("a {x + } b");
        FAIL("no error");
    } catch (const gouji::SyntaxError& e) {
        CHECK(std::string(e.what()) == "expected an operand after the operator");
        CHECK(e.offset() == 7);
    }
    try {
        (void)gouji::parse_message("a {x");
        FAIL("no error");
    } catch (const gouji::SyntaxError& e) {
        CHECK(std::string(e.what()) == "this '{' opens a placeholder that no '}' closes: close it, or write '{{' for a brace");
        CHECK(e.offset() == 2);
    }
}

TEST_CASE("grammar: every error of a message is said, and the placeholders after one are still read") {
    // An unclosed '{' said where it is, not where the text ends; the placeholders
    // before and after a bad one are parts all the same, to be checked.
    std::vector<gouji::SyntaxError> errors;
    auto parts = gouji::parse_message("{a:d} {b +} {c} {unclosed and {d} } {e", errors);
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].offset() == 10);
    CHECK(std::string(errors[0].what()) == "expected an operand after the operator");
    CHECK(errors[1].offset() == 16);
    CHECK(std::string(errors[1].what()) == "this '{' opens a placeholder that no '}' closes: close it, or write '{{' for a brace");
    CHECK(errors[2].offset() == 34);
    CHECK(std::string(errors[2].what()).starts_with("a '}' that closes no placeholder"));
    CHECK(errors[3].offset() == 36);
    std::vector<std::string> read;
    for (const auto& p : parts)
        if (p.expr) read.push_back(gouji::ast::to_sexpr(*p.expr) + (p.spec.empty() ? "" : ":" + p.spec));
    CHECK(read == std::vector<std::string>{"a:d", "c", "d"});
}

TEST_CASE("grammar: a byte of a string's value maps back to where it is written") {
    using gouji::grammar::escaped_offset;
    // Value 申请"(x: the '(' is its byte 7, written after the two-byte \" at byte 8.
    CHECK(escaped_offset(R"(申请\"(x")", 7) == 8);
    // \d stays two bytes in the value, as in the source.
    CHECK(escaped_offset(R"(\d+(x")", 3) == 3);
    // \\ and \n are one byte of the value each.
    CHECK(escaped_offset(R"(a\\b\nc(")", 5) == 7);
    CHECK(escaped_offset("ab", 99) == 2);
}

TEST_CASE("grammar: parse_expression_shared parses a text once, and keeps a few MiB of trees however many it is given") {
    const std::string text = "year > 2019 and 表三.总计[1] == 2";
    const auto shared = gouji::parse_expression_shared(text);
    CHECK(shared == gouji::parse_expression_shared(text));
    CHECK(gouji::ast::to_sexpr(*shared) == tree(text));
    CHECK_THROWS_AS((void)gouji::parse_expression_shared("year >"), gouji::SyntaxError);
    CHECK_THROWS_AS((void)gouji::parse_expression_shared("year >"), gouji::SyntaxError);

    // 70,000 texts of 14 bytes, just under 1 MiB: their trees took 30 MiB while
    // the bound was 1 MiB of texts. (Under a sanitizer mallinfo2() sees no heap.)
    const auto in_use = [] { return static_cast<long long>(mallinfo2().uordblks); };
    const long long before = in_use();
    for (int i = 0; i < 70000; ++i) (void)gouji::parse_expression_shared("year > " + std::to_string(1000000 + i));
    CHECK(in_use() - before < 8LL << 20);
    // The cache full, a text is still parsed once: those kept first give way.
    const auto after = gouji::parse_expression_shared("year < 2019 or 表三.总计[1] != 2");
    CHECK(after == gouji::parse_expression_shared("year < 2019 or 表三.总计[1] != 2"));
}
