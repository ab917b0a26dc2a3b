// The built-in functions and members of the rule language, each one entry in a
// registry: its name, arity, how it types its arguments, how it evaluates.
// Adding a function is adding an entry (builtins.cpp / members.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval/regex.hpp"
#include "engine/eval/eval_value.hpp"
#include "rules/program.hpp"
#include "rules/types.hpp"

namespace gouji::eval {
class Context;
}

namespace gouji::program {

using EvalFn = eval::Value (*)(eval::Context&, const Node&);

// An argument of a call that does not fit its function: its index and what it
// must be ("must be a number, not text"). The compiler says it at the argument,
// naming which ("round()'s first argument must be a number, not text").
struct ArgumentError {
    std::size_t arg = 0;
    std::string message;  // empty: the arguments fit
    bool empty() const { return message.empty(); }
};

// Result type of a call from its argument types; sets `error` at the first that does not fit.
using TypeFn = types::Type (*)(const std::vector<types::Type>& args, ArgumentError& error);

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

using MemberTypeFn = types::Type (*)(const types::Type& object, const std::vector<types::Type>& args, ArgumentError& error);
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


}  // namespace gouji::program
