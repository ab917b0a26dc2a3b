// Parsing of rule-language text into the typed tree (ast.hpp). Offsets in the
// results and in SyntaxError are byte offsets into the given text.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grammar/ast.hpp"

namespace gouji::grammar {

// The language's own words, as grammar.hpp's kw_* rules spell them: for the
// compiler's hints (True → true), kept here beside the parser that reads them.
inline constexpr std::array<std::string_view, 9> keywords = {"and", "or", "not", "if", "then", "else", "in", "true", "false"};

// Operator chains are left-deep trees: a chain of thousands of '+' is as deep as
// thousands of parentheses for every recursive pass that follows. The compiler
// bounds an expression and the lets and params it names the same way.
inline constexpr std::uint32_t max_tree_depth = 1000;

// The byte of `raw` (a string literal's text as written, from just after its
// opening quote) that byte `offset` of its value comes from: where an error
// inside the value, such as a regular expression's, points in the source.
std::size_t escaped_offset(std::string_view raw, std::size_t offset);
}  // namespace gouji::grammar

namespace gouji {

// A syntax error: what was expected, at which byte of the text. what() has the
// hint about what was written there (a look-alike character…); expected() is
// the message without it, for a caller that knows a better hint.
class SyntaxError : public std::runtime_error {
public:
    SyntaxError(std::uint32_t offset, const std::string& message, std::string expected = {})
        : std::runtime_error(message), offset_(offset), expected_(expected.empty() ? message : std::move(expected)) {}
    std::uint32_t offset() const { return offset_; }
    const std::string& expected() const { return expected_; }

private:
    std::uint32_t offset_;
    std::string expected_;
};

// A whole text as one expression (check, when, let, applies-to, a param).
ast::Expr parse_expression(std::string_view text);
// The same, for a text that may have been parsed before in this process: its
// tree is shared, not parsed again (a syntax error is thrown each time).
std::shared_ptr<const ast::Expr> parse_expression_shared(std::string_view text);
// `name in collection[, name in collection]…` (a rule's `for`).
std::vector<ast::Binding> parse_bindings(std::string_view text);
// A message with `{expr}` / `{expr:spec}` placeholders; `{{` and `}}` are braces.
// Each placeholder that does not parse (and each '}' that closes none) is added to
// `errors`, and the rest of the message is read: a message's errors come at once.
std::vector<ast::MessagePart> parse_message(std::string_view text, std::vector<SyntaxError>& errors);
// The same, throwing the first error.
std::vector<ast::MessagePart> parse_message(std::string_view text);

}  // namespace gouji
