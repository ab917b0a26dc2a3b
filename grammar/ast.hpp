// The typed syntax tree of the rule language. Built from the parse tree at once:
// every node owns its text, nothing points into the input. Offsets are bytes from
// the start of the parsed text; the pack loader maps them to file positions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace gouji::ast {

enum class BinaryOp { Add, Sub, Mul, Div, Eq, Ne, Approx, Lt, Le, Gt, Ge, In, NotIn, And, Or };
enum class UnaryOp { Neg, Not };

const char* spelling(BinaryOp op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Number {
    double value = 0;
    int decimals = 0;  // digits written after the point
    std::string text;  // as written
};
struct String {
    std::string value;
};
struct Bool {
    bool value = false;
};
struct List {
    std::vector<Expr> items;
};
struct Name {
    std::string name;
};
// `object.name`; with `args`, a method call `object.name(args)`.
struct Member {
    ExprPtr object;
    std::string name;
    std::uint32_t name_offset = 0;
    std::optional<std::vector<Expr>> args;
};
struct Index {
    ExprPtr object;
    ExprPtr index;
};
// `object[from:to]`, either bound may be absent.
struct Slice {
    ExprPtr object;
    ExprPtr from, to;
};
struct Call {
    std::string function;
    std::vector<Expr> args;
};
struct Unary {
    UnaryOp op;
    ExprPtr operand;
};
struct Binary {
    BinaryOp op;
    ExprPtr left, right;
    std::uint32_t op_offset = 0;
};
struct Conditional {
    ExprPtr condition, then_branch, else_branch;
};

struct Expr {
    std::variant<Number, String, Bool, List, Name, Member, Index, Slice, Call, Unary, Binary, Conditional> node;
    std::uint32_t offset = 0;  // first byte of the expression
    std::uint32_t end = 0;     // one past its last byte
    std::uint32_t depth = 1;   // height of the tree below and including this node
    // Of that height, the operations written one after another at this node's
    // level (a + b + c: 2), none of them inside parentheses or brackets.
    std::uint32_t run = 1;
};

// `name in collection` of a rule's `for`.
struct Binding {
    std::string name;
    std::uint32_t name_offset = 0;
    Expr collection;
};

// A message is text runs and placeholders `{expr:spec}`.
struct MessagePart {
    std::string text;           // literal text (when !expr)
    std::optional<Expr> expr;   // placeholder expression
    std::string spec;           // fmt format spec after ':' ("" when none)
    std::uint32_t offset = 0;   // of the text run, or of the placeholder's expression
    std::uint32_t spec_offset = 0;
};

// S-expression of a tree, for tests and debugging: (+ 1 (. 表三 本年新收)).
std::string to_sexpr(const Expr& e);

}  // namespace gouji::ast
