// A compiled rule set: rule packs after parsing, name resolution and type
// checking. Evaluated many times (engine/eval) without re-parsing: variables are
// slots, functions and members are resolved to their implementations, names of
// rows and columns are normalized once, literal regular expressions are compiled.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/eval/eval_value.hpp"
#include "gouji/finding.hpp"
#include "gouji/source.hpp"
#include "grammar/ast.hpp"
#include "rules/types.hpp"

namespace gouji::eval::fast {
struct Plan;
class ValuePlan;
}

namespace gouji::program {

struct Builtin;
struct MemberDef;
struct CompiledRegex;

enum class Op : std::uint8_t {
    Constant,     // constant
    Variable,     // vars[slot]: a `for` binding or a quantifier's variable
    Let,          // lets[slot], evaluated on first use
    Param,        // the pack's params[slot]
    Global,       // metadata and narrative of the model (global)
    Table,        // the model's table `name`
    Member,       // member->get(kids[0]) (with arguments kids[1..] for a method)
    NamedRow,     // kids[0] (a table) . row `name`
    NamedCell,    // kids[0] (a row or a column) . column or row `name`
    Index,        // kids[0][kids[1]]
    Slice,        // kids[0][from:to]; has_from/has_to say which kids follow
    Call,         // function->eval with kids as arguments (kids[0] the collection, slot the variable, for binders)
    Negate,
    Not,
    Binary,       // arithmetic and comparisons
    And,
    Or,
    If,
    ListLiteral,
};

enum class Global { Year, Template, Title, Agency, Period, Published, Sections, Figures, Lists };

struct Node {
    Op op = Op::Constant;
    std::vector<Node> kids;
    eval::Value constant;
    std::uint32_t slot = 0;
    std::uint32_t param_pack = 0;  // Param: the pack that declares it (the rule's, or one it extends)
    Global global = Global::Year;
    ast::BinaryOp binary = ast::BinaryOp::Add;
    const Builtin* function = nullptr;
    const MemberDef* member = nullptr;
    std::string name;  // a table id, row or column name as written
    std::string key;   // `name` normalized for matching (normalize_label)
    bool has_from = false, has_to = false;
    std::shared_ptr<const CompiledRegex> regex;  // a literal pattern argument, compiled once
    types::Type type;  // as the checker inferred it
    SourcePos pos;     // in the pack file
    // An expression that reads no variable from outside itself and no let (a
    // closed quantifier, 表三.found…): its value is the same for every binding of
    // the rule in one report, so the evaluator may keep it (engine/eval/evaluate.cpp).
    bool invariant = false;
    // Whether it may read a table cell: else a suggestion's probe (a cell read as
    // another number, engine/eval/suggest.cpp) cannot change its value either.
    bool reads_cells = true;
    // A let or param that is `template` itself (`let: {t: template}`): compared with a
    // template id as `template` is (is_template).
    bool names_template = false;
    // A let that is one table cell (`let: {fee: r[c]}`): written_unit(fee) reads it.
    bool names_cell = false;
};

// Whether `n` names one table cell: a row indexed by a column or the other way round
// (r[c]), a row's or column's member named (表二.行政事业性收费.本年收费金额), or a let
// that is one.
inline bool names_a_cell(const Node& n) {
    if (n.op == Op::NamedCell || (n.op == Op::Let && n.names_cell)) return true;
    const bool indexed = n.op == Op::Index || (n.op == Op::Member && !n.member);
    return indexed && !n.kids.empty() &&
           (n.kids[0].type.kind == types::Kind::Row || n.kids[0].type.kind == types::Kind::Column);
}

// Whether `n` is the report's `template`, or a let or param that is: compared with a
// template id, it also names the templates based on that one (engine/eval/evaluate.cpp).
inline bool is_template(const Node& n) { return (n.op == Op::Global && n.global == Global::Template) || n.names_template; }

struct Binding {
    std::string name;
    std::uint32_t slot = 0;
    Node collection;
};

struct MessagePiece {
    std::string text;          // literal text, when !expr
    std::optional<Node> expr;  // a placeholder
    std::string spec;          // fmt spec without ':' ("" = as written)
};

// An extending pack's change to a rule; applies when that pack applies.
struct Override {
    std::size_t pack = 0;
    std::optional<Severity> severity;
    bool disabled = false;
};

// A template a rule does not check, and why (CompileEnv::set_aside).
struct SetAside {
    std::string template_id;
    std::string reason;  // "表三 has no row '…'"
};

struct CompiledRule {
    std::string id, title, basis;
    std::vector<std::string> tags;
    Severity severity = Severity::Error;
    RuleKind kind = RuleKind::Sum;
    std::size_t pack = 0;  // index into Program::packs
    std::vector<Binding> bindings;
    std::vector<Node> lets;
    std::vector<std::string> let_names;
    // Per let, how many of the leading `for` bindings its value depends on: 0
    // when none (the same for every check of the rule in one report), k when it
    // reads the k-th binding's variable and none after it. A let keeps its value
    // while those bindings hold still (RuleRunner).
    std::vector<std::uint32_t> let_levels;
    std::vector<std::uint32_t> lets_deepest_first;  // the lets' indices by level, highest first
    std::optional<Node> applies_to;
    std::string applies_to_text;  // as written: rules of a pack that write the same have the same answer
    std::uint32_t applies_variable_count = 0;  // variables its applies-to's quantifiers need
    std::optional<Node> when;
    Node check;
    std::string check_text;  // as written, for the default message
    std::vector<MessagePiece> message;
    std::uint32_t variable_count = 0;
    // Tables the rule names: it runs only on reports whose template has them all.
    std::vector<std::string> tables;
    // The templates its applies-to (and its pack's) admits, as the compiler worked
    // them out: a template none of whose tables any rule checks is said (gouji check).
    std::vector<std::string> template_ids;
    // Templates based on another that lack a name the rule reads: their reports
    // are not checked by it (gouji check notes it).
    std::vector<SetAside> set_aside;
    std::vector<Override> overrides;
    std::string file;
    SourcePos pos;  // of the rule's `id`
    // `when` and `check` compiled for the silent pass (engine/eval/fast.hpp).
    std::shared_ptr<const eval::fast::Plan> fast;
    // The table cells its checks can read, when they read cells through rows named
    // (表三.本年新收.总计, 表三.本年新收[c]; keys normalized): a suggestion's try-out runs
    // the rule again only if it reads the cell tried. False when a check may read
    // any row of its tables (a `for` over rows, a group, a column's cells).
    struct NamedCell {
        std::string table, row_key;
        std::string column_key;  // empty: any column of the row
    };
    bool reads_cells_by_name_only = false;
    std::vector<NamedCell> named_cells;
    // A `for` binding over rows or over columns that every cell the rule reads is
    // on (T3-ROW-SUM's r: r[c], r.总计; T3-BALANCE's c: 表三.本年新收[c]): a try-out
    // checks only the bindings whose row or column holds the cell tried.
    std::optional<std::uint32_t> cells_keyed_by;
};

struct CompiledPack {
    std::string id, title, version, file;
    std::optional<Node> applies_to;
    std::uint32_t applies_variable_count = 0;  // variables its applies-to's quantifiers need
    std::vector<Node> params;
    std::uint32_t param_variable_count = 0;  // variables the quantifiers of any one param need
    // params compiled for the silent pass (engine/eval/fast.hpp); null where nothing of one is.
    std::vector<std::shared_ptr<const eval::fast::ValuePlan>> fast_params;
    std::vector<std::string> param_names;
    std::vector<std::string> extends;  // ids of the packs it extends directly
};

struct Program {
    std::vector<CompiledPack> packs;
    std::vector<CompiledRule> rules;
    // Per-report slots of the rules' plans: kept values, and names resolved per schema.
    std::uint32_t fast_value_slots = 0, fast_name_slots = 0, fast_kept_slots = 0, fast_slice_slots = 0;
    // normalize_label() of every text constant of the rules and params, worked
    // out once here: every report looks rows, groups and sections up by them.
    std::unordered_map<std::string, std::string> normalized_texts;
};

}  // namespace gouji::program
