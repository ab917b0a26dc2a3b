// The built-in functions and members of the rule language, each one entry in a
// registry: its name, arity, how it types its arguments, how it evaluates.
// Adding a function is adding an entry (builtins.cpp / members.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval/eval_value.hpp"
#include "rules/program.hpp"
#include "rules/types.hpp"

namespace gouji::eval {
class Context;
}

namespace gouji::program {

using EvalFn = eval::Value (*)(eval::Context&, const Node&);
// Result type of a call from its argument types; sets `error` when they do not fit.
using TypeFn = types::Type (*)(const std::vector<types::Type>& args, std::string& error);

struct Builtin {
    std::string_view name;
    int min_args = 0;
    int max_args = 0;     // -1: any number
    bool binder = false;  // called as f(x in collection, body): args are [collection, body]
    std::string_view usage;
    TypeFn type;
    EvalFn eval;
    int pattern_arg = -1;  // index of a regular-expression argument, compiled when literal
};

// The entry for `name` called with `arity` arguments, in binder form or not.
const Builtin* find_builtin(std::string_view name, std::size_t arity, bool binder);
// Whether any form of `name` exists, and its usage line ("sum(list) or sum(x in list, expr)").
bool builtin_exists(std::string_view name);
std::string builtin_usage(std::string_view name);
std::vector<std::string> builtin_names();

using MemberTypeFn = types::Type (*)(const types::Type& object, const std::vector<types::Type>& args, std::string& error);
// Evaluates the member of `object`; for a method, its arguments are node.kids[1..].
using MemberEvalFn = eval::Value (*)(eval::Context&, const eval::Value& object, const Node& node);

struct MemberDef {
    types::Kind object;
    std::string_view name;
    bool method = false;
    int arity = 0;
    MemberTypeFn type;
    MemberEvalFn get;
};

const MemberDef* find_member(types::Kind object, std::string_view name, bool method);
std::vector<std::string> member_names(types::Kind object);

// A regular expression compiled once (ICU, Unicode-aware).
struct CompiledRegex;
// Whether `regex` finds a match in `text`, when it is of the plain forms searched
// for without ICU (alternatives of words, a word then another on the same line,
// plain characters and groups at the end of the text) or `text` lacks a word it
// requires; nullopt for any other.
std::optional<bool> literal_match(const CompiledRegex& regex, std::string_view text);
// Whether `text` lacks every word one of `regex`'s alternatives must contain: it
// cannot match (a pattern with such words is otherwise left to ICU).
bool lacks_required_words(const CompiledRegex& regex, std::string_view text);
// Whether literal_match() can decide for `regex` (for some texts at least).
bool has_literal_form(const CompiledRegex& regex);
// Whether ICU surely compiles `pattern` (written in a small part of its syntax
// that cannot fail): such a pattern is left to ICU until a text needs it. False
// does not mean invalid.
bool surely_valid_for_icu(const std::string& pattern);
// Compiles `pattern`; on error returns null and sets `error` and `error_offset`
// (byte offset into the pattern).
std::shared_ptr<const CompiledRegex> compile_regex(const std::string& pattern, std::string& error,
                                                   std::size_t& error_offset);

}  // namespace gouji::program
