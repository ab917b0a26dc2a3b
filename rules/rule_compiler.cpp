#include "rules/rule_compiler.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "engine/eval/builtins.hpp"
#include "engine/eval/context.hpp"
#include "gouji/text.hpp"
#include "grammar/parser.hpp"

namespace gouji::rules {

using types::Kind;
using types::Type;

namespace {

// "… must be a, b or c, not 'x'" with the word meant: 'Error' is 'error' in
// lower case (which no edit distance says), 'warn' is most of 'warning'.
std::string not_one_of(const std::string& key, const std::string& value, const std::vector<std::string>& allowed) {
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    const std::string lower = ascii_lower(value);
    std::string hint = std::find(allowed.begin(), allowed.end(), lower) != allowed.end()
                           ? " (write '" + lower + "': in lower case)"
                           : names::did_you_mean(value, allowed);
    return key + " must be " + list + ", not '" + shortened(value, 80) + "'" + hint;
}

}  // namespace

std::string severity_error(const std::string& s) { return not_one_of("severity", s, {"error", "warning", "info"}); }

namespace {

std::optional<RuleKind> parse_kind(const std::string& s) {
    if (s == "sum") return RuleKind::Sum;
    if (s == "percentage") return RuleKind::Percentage;
    if (s == "required") return RuleKind::Required;
    if (s == "consistency") return RuleKind::Consistency;
    if (s == "format") return RuleKind::Format;
    return std::nullopt;
}

// Equal expressions get equal ids: a node's id stands for its own fields and
// its kids' ids, so every subtree is described once (one pass, not one per
// ancestor). A node has no id when it binds a variable (its slot may be
// another's elsewhere) or reads one bound inside the check, when a kid has
// none, or when it is a constant other than a number, a text or a truth value.
// `reads`: it reads a `for` variable or a let.
struct ShapeIds {
    struct Shape {
        std::uint32_t id;
        bool reads;
    };
    // Each id's first node, its kids' ids (kid_pool from first_kid) and hash.
    struct Interned {
        const program::Node* node;
        std::uint32_t first_kid;
        std::size_t hash;
    };
    std::uint32_t bindings = 0;
    std::vector<Interned> interned;  // by id
    std::vector<std::uint32_t> kid_pool;
    // Open addressing, by hash: 1 + an id, or 0 where free. This runs for every
    // node of every rule, so a shape is compared field by field where it is
    // found, not written out as a key.
    std::vector<std::uint32_t> table = std::vector<std::uint32_t>(64, 0);
    std::vector<std::pair<const program::Node*, Shape>> of;  // every node with a shape
    std::vector<std::uint32_t> kid_ids;  // a stack: each visit pushes its kids' ids, then pops them

    static bool comparable_constant(const eval::Value& c) {
        return c.is<eval::Number>() || c.is<std::string>() || c.is<bool>();
    }

    static bool same_constant(const eval::Value& a, const eval::Value& b) {
        if (a.v.index() != b.v.index()) return false;
        if (a.is<eval::Number>()) {
            const auto &x = a.as<eval::Number>(), &y = b.as<eval::Number>();
            // Bit for bit, as the shape of a written number: 0 and -0 differ.
            return std::memcmp(&x.value, &y.value, sizeof x.value) == 0 && std::memcmp(&x.lo, &y.lo, sizeof x.lo) == 0 &&
                   std::memcmp(&x.hi, &y.hi, sizeof x.hi) == 0 && x.decimals == y.decimals;
        }
        if (a.is<std::string>()) return a.as<std::string>() == b.as<std::string>();
        return a.as<bool>() == b.as<bool>();
    }

    static bool same_fields(const program::Node& a, const program::Node& b) {
        return a.op == b.op && a.slot == b.slot && a.global == b.global && a.binary == b.binary &&
               a.function == b.function && a.member == b.member && a.has_from == b.has_from && a.has_to == b.has_to &&
               a.kids.size() == b.kids.size() && a.name == b.name &&
               (a.op != program::Op::Constant || same_constant(a.constant, b.constant));
    }

    static std::size_t mix(std::size_t h, std::size_t x) { return (h ^ x) * 0x100000001b3ull + (h >> 29); }

    static std::size_t hash_of(const program::Node& n, const std::uint32_t* kids) {
        std::size_t h = 0xcbf29ce484222325ull;
        h = mix(h, static_cast<std::size_t>(n.op) | static_cast<std::size_t>(n.global) << 8 |
                       static_cast<std::size_t>(n.binary) << 16 | static_cast<std::size_t>(n.has_from) << 24 |
                       static_cast<std::size_t>(n.has_to) << 25);
        h = mix(h, n.slot);
        h = mix(h, reinterpret_cast<std::uintptr_t>(n.function));
        h = mix(h, reinterpret_cast<std::uintptr_t>(n.member));
        if (!n.name.empty()) h = mix(h, std::hash<std::string_view>()(n.name));
        if (n.op == program::Op::Constant) {
            const auto& c = n.constant;
            if (c.is<eval::Number>()) h = mix(h, std::hash<double>()(c.as<eval::Number>().value));
            else if (c.is<std::string>()) h = mix(h, std::hash<std::string_view>()(c.as<std::string>()));
            else h = mix(h, c.as<bool>());
        }
        for (std::size_t i = 0; i < n.kids.size(); ++i) h = mix(h, kids[i]);
        return h;
    }

    void grow() {
        std::vector<std::uint32_t> bigger(table.size() * 2, 0);
        for (std::uint32_t id = 0; id < interned.size(); ++id)
            for (std::size_t at = interned[id].hash & (bigger.size() - 1);; at = (at + 1) & (bigger.size() - 1))
                if (bigger[at] == 0) {
                    bigger[at] = id + 1;
                    break;
                }
        table = std::move(bigger);
    }

    // The id of node `n` whose kids have the ids `kids`: an earlier equal node's, or a new one.
    std::uint32_t intern(const program::Node& n, const std::uint32_t* kids) {
        const std::size_t hash = hash_of(n, kids);
        std::size_t at = hash & (table.size() - 1);
        for (; table[at] != 0; at = (at + 1) & (table.size() - 1)) {
            const Interned& known = interned[table[at] - 1];
            if (known.hash == hash && same_fields(*known.node, n) &&
                std::equal(kids, kids + n.kids.size(), kid_pool.begin() + known.first_kid))
                return table[at] - 1;
        }
        const auto id = static_cast<std::uint32_t>(interned.size());
        interned.push_back(Interned{&n, static_cast<std::uint32_t>(kid_pool.size()), hash});
        kid_pool.insert(kid_pool.end(), kids, kids + n.kids.size());
        table[at] = id + 1;
        if (2 * interned.size() >= table.size()) grow();
        return id;
    }

    std::optional<Shape> visit(const program::Node& n) {
        using program::Op;
        bool has_shape = !(n.op == Op::Call && n.function && n.function->binder) &&
                         !(n.op == Op::Variable && n.slot >= bindings) &&
                         (n.op != Op::Constant || comparable_constant(n.constant));
        bool reads = n.op == Op::Variable || n.op == Op::Let;
        const std::size_t first_kid = kid_ids.size();
        for (const auto& k : n.kids) {  // every kid, so each subtree gets its own id
            std::optional<Shape> kid = visit(k);
            if (!kid) {
                has_shape = false;
                continue;
            }
            reads = reads || kid->reads;
            kid_ids.push_back(kid->id);
        }
        if (!has_shape) {
            kid_ids.resize(first_kid);
            return std::nullopt;
        }
        Shape shape{intern(n, kid_ids.data() + first_kid), reads};
        kid_ids.resize(first_kid);
        of.emplace_back(&n, shape);
        return shape;
    }
};

// Worth a let: reading the model (the cheap operations are not).
bool shareable(const program::Node& n) {
    using program::Op;
    return n.op == Op::Member || n.op == Op::NamedRow || n.op == Op::NamedCell || n.op == Op::Index ||
           (n.op == Op::Call && n.function && !n.function->binder);
}

// Adds to `cells` the table cells `node` reads by name; false when it may read
// cells another way. A table's own flags (found, numberless…) and last year's
// tables (previous(表三)) are not cells a try-out changes; params read no table.
bool named_cells_only(const program::Node& node, std::vector<program::CompiledRule::NamedCell>& cells) {
    using program::Op;
    using types::Kind;
    // A column reaches every row (c.本年新收, c.cells, even one got from a named row's
    // columns); a value whose kind the compiler could not tell may be a row or a column.
    auto open = [](const types::Type& t) { return t.kind == Kind::Column || t.kind == Kind::Any; };
    if (open(node.type) || (node.type.kind == Kind::List && open(node.type.element_type()))) return false;
    if (node.op == Op::NamedCell && node.kids.size() == 1 && node.kids[0].op == Op::NamedRow &&
        node.kids[0].kids.size() == 1 && node.kids[0].kids[0].op == Op::Table) {
        cells.push_back({node.kids[0].kids[0].name, node.kids[0].key, node.key});
        return true;
    }
    // A row named (表三.本年新收[c], a slice of it, its cells): any of its cells, no other.
    if (node.op == Op::NamedRow && node.kids.size() == 1 && node.kids[0].op == Op::Table) {
        cells.push_back({node.kids[0].name, node.key, {}});
        return true;
    }
    if (node.op == Op::Member && node.member && !node.member->method && node.kids.size() == 1 &&
        node.kids[0].op == Op::Table) {
        const std::string_view m = node.member->name;
        return m == "found" || m == "numberless" || m == "blanks_read_as_zero" || m == "id" || m == "label";
    }
    if (node.op == Op::Call && node.name == "previous") return true;
    if (node.op == Op::Table) return false;
    return std::all_of(node.kids.begin(), node.kids.end(),
                       [&](const program::Node& kid) { return named_cells_only(kid, cells); });
}

// Whether `holds` is true of each expression that decides `rule`'s verdicts, in
// order: its `for` lists, lets, `when` and `check` (its message and applies-to
// decide none).
template <class Holds>
bool every_deciding(const program::CompiledRule& rule, Holds&& holds) {
    return std::all_of(rule.bindings.begin(), rule.bindings.end(),
                       [&](const program::Binding& b) { return holds(b.collection); }) &&
           std::all_of(rule.lets.begin(), rule.lets.end(), holds) && (!rule.when || holds(*rule.when)) &&
           holds(rule.check);
}

// CompiledRule::named_cells of `rule`.
void list_named_cells(program::CompiledRule& rule) {
    std::vector<program::CompiledRule::NamedCell> cells;
    const bool only = every_deciding(rule, [&](const program::Node& n) { return named_cells_only(n, cells); });
    rule.reads_cells_by_name_only = only;
    if (only) rule.named_cells = std::move(cells);
}

// Whether every table cell `node` reads is on the row or the column that the
// variable in `slot` holds: read through it (r[c], r.总计, r[自然人:其他], sum(r),
// r.cells) or indexed by it (表三.本年新收[c], x[c]). A cell read any other way
// (a row named, 表三.本年新收.总计; another variable's cell) says no.
bool cells_on(const program::Node& node, std::uint32_t slot, bool shadowed = false) {
    using program::Op;
    using types::Kind;
    // Inside a quantifier that binds the same slot (a `for`'s list is compiled
    // before its variable, and may reuse the slot), the variable is another one.
    auto is_it = [&](const program::Node& n) { return !shadowed && n.op == Op::Variable && n.slot == slot; };
    // What a cell may be read through: a row, a column, or a value whose kind the
    // compiler could not tell (`first(if … then [表三.本年新收] else [])`).
    auto line = [](const program::Node& n) {
        return n.type.kind == Kind::Row || n.type.kind == Kind::Column || n.type.kind == Kind::Any;
    };
    switch (node.op) {
        case Op::Index:
            if (line(node.kids[0]) && !is_it(node.kids[0]) && !is_it(node.kids[1])) return false;
            break;
        case Op::NamedCell:
        case Op::Slice:
            if (line(node.kids[0]) && !is_it(node.kids[0])) return false;
            break;
        case Op::Member:
            if (!node.member ? !is_it(node.kids[0]) : node.member->name == "cells" && !is_it(node.kids[0]))
                return false;
            break;
        case Op::Call:
            if (node.name == "previous") return false;
            for (const auto& kid : node.kids)
                if (line(kid) && !is_it(kid)) return false;
            break;
        default: break;
    }
    const bool binds_it = node.op == Op::Call && node.function && node.function->binder && node.slot == slot;
    for (std::size_t k = 0; k < node.kids.size(); ++k)
        if (!cells_on(node.kids[k], slot, shadowed || (binds_it && k > 0))) return false;
    return true;
}

// CompiledRule::cells_keyed_by of `rule`: the first `for` over rows or columns
// that every cell its verdicts read is on.
void find_cells_key(program::CompiledRule& rule) {
    for (std::uint32_t k = 0; k < rule.bindings.size(); ++k) {
        const types::Kind element = rule.bindings[k].collection.type.element_type().kind;
        if (element != types::Kind::Row && element != types::Kind::Column) continue;
        const std::uint32_t slot = rule.bindings[k].slot;
        if (every_deciding(rule, [&](const program::Node& n) { return cells_on(n, slot); })) {
            rule.cells_keyed_by = k;
            return;
        }
    }
}

// T3-COUNT reads r[c] once in its when and three times in its check. An
// expression written more than once in a rule's when and check that reads the
// rule's `for` variables (or its lets) and nothing bound inside the check is
// made a let of its own, computed once per binding. Its value cannot differ
// from one place to the next: the bindings hold still during a check, reading
// the model has no effect but recording (which records each cell once, at its
// first use, as before), and lets are forgotten wherever a check is redone.
void share_repeated(program::CompiledRule& rule, std::uint32_t bindings) {
    // Only what reads a `for` variable or a let is shared: without either, nothing is.
    if (bindings == 0 && rule.lets.empty()) return;
    ShapeIds shapes;
    shapes.bindings = bindings;
    if (rule.when) shapes.visit(*rule.when);
    shapes.visit(rule.check);
    // Only shareable nodes that read are candidates; sorted by address for replace.
    std::vector<std::pair<const program::Node*, std::uint32_t>> candidates;
    std::vector<std::size_t> count(shapes.interned.size(), 0);
    for (const auto& [node, shape] : shapes.of)
        if (shape.reads && shareable(*node)) {
            candidates.emplace_back(node, shape.id);
            ++count[shape.id];
        }
    std::sort(candidates.begin(), candidates.end());
    std::map<std::uint32_t, std::uint32_t> slots;
    // Top-down, so the outermost repeated expression becomes the let; nodes not
    // yet reached keep their addresses (only the node replaced is assigned).
    std::function<void(program::Node&)> replace = [&](program::Node& n) {
        auto found = std::lower_bound(candidates.begin(), candidates.end(),
                                      std::pair<const program::Node*, std::uint32_t>{&n, 0});
        if (found != candidates.end() && found->first == &n && count[found->second] > 1) {
            auto [it, fresh] = slots.emplace(found->second, static_cast<std::uint32_t>(rule.lets.size()));
            if (fresh) {
                rule.lets.push_back(n);
                rule.let_names.push_back("(shared)");
            }
            program::Node let;
            let.op = program::Op::Let;
            let.slot = it->second;
            let.type = n.type;
            let.pos = n.pos;
            n = std::move(let);
            return;
        }
        for (auto& k : n.kids) replace(k);
    };
    if (rule.when) replace(*rule.when);
    replace(rule.check);
}

// Flags the expressions that are closed: every variable they read is bound
// inside them, and they read no let — binder calls (filter, sum(x in …), any…),
// 表三.found, 表三.本年新收 in 表三.本年新收[c]. Constants, variables, lets,
// params and tables are kept by the evaluator anyway.
struct Openness {
    std::vector<std::uint32_t> free;  // variables read but not bound inside
    bool reads_let = false;
    bool reads_cells = false;
};
Openness openness(program::Node& node, const std::vector<program::Node>& lets) {
    Openness out;
    if (node.op == program::Op::Variable) out.free.push_back(node.slot);
    if (node.op == program::Op::Let) out.reads_let = true;
    // Cells are read by indexing a row or a column, by naming a cell of one, by a
    // slice of one (not of a list: 表三.columns[自然人:其他] is columns), and by
    // their `cells` (or a member the checker could not resolve).
    out.reads_cells = node.op == program::Op::Index || node.op == program::Op::NamedCell ||
                      (node.op == program::Op::Slice && (node.kids.empty() || node.kids[0].type.kind != types::Kind::List)) ||
                      (node.op == program::Op::Member && (!node.member || node.member->name == "cells")) ||
                      (node.op == program::Op::Let && node.slot < lets.size() && lets[node.slot].reads_cells);
    const bool binder = node.op == program::Op::Call && node.function && node.function->binder;
    for (std::size_t i = 0; i < node.kids.size(); ++i) {
        Openness kid = openness(node.kids[i], lets);
        out.reads_let = out.reads_let || kid.reads_let;
        out.reads_cells = out.reads_cells || kid.reads_cells;
        for (std::uint32_t slot : kid.free)
            // A binder's variable is bound in its body, not in its collection (kids[0]).
            if (!(binder && i > 0 && slot == node.slot)) out.free.push_back(slot);
    }
    using program::Op;
    const bool kept = node.op == Op::Constant || node.op == Op::Variable || node.op == Op::Let ||
                      node.op == Op::Param || node.op == Op::Table;
    node.invariant = !kept && out.free.empty() && !out.reads_let;
    node.reads_cells = out.reads_cells;
    return out;
}

// Keeps the flag only where keeping pays: a node whose nearest invariant ancestor
// is kept whenever the node would be is never worked out again once that one is.
// Each kept node costs a memo entry per report, and most closed expressions are
// whole checks (period.start.year == year and period.end.year == year) whose
// every sub-expression would otherwise be kept too. A binder's body is worked out
// once per element within one evaluation of the binder, so it starts afresh;
// likewise a node that reads no cell under one that does, as the ancestor is
// worked out again when a check records or a suggestion probes, and the node
// would still be kept then (engine/eval/evaluate.cpp, keeps_invariant).
void keep_outermost(program::Node& node, bool kept_above, bool kept_above_reads_cells) {
    if (kept_above && (!kept_above_reads_cells || node.reads_cells)) node.invariant = false;
    else if (node.invariant) kept_above = true, kept_above_reads_cells = node.reads_cells;
    else kept_above = false;
    const bool binder = node.op == program::Op::Call && node.function && node.function->binder;
    for (std::size_t i = 0; i < node.kids.size(); ++i) {
        if (binder && i > 0) keep_outermost(node.kids[i], false, false);
        else keep_outermost(node.kids[i], kept_above, kept_above_reads_cells);
    }
}

// `lets`: the rule's, whose bodies are marked (a let reads cells when its body does).
void mark_invariant(program::Node& node, const std::vector<program::Node>& lets) {
    (void)openness(node, lets);
    keep_outermost(node, false, false);
}

// mark_invariant() of an expression worked out once (the first `for`'s collection):
// only what its binders' bodies read closed is kept, as the rest is not worked out
// again. (`reads_cells` is marked throughout.)
void keep_in_binder_bodies(program::Node& node) {
    node.invariant = false;
    const bool binder = node.op == program::Op::Call && node.function && node.function->binder;
    for (std::size_t i = 0; i < node.kids.size(); ++i) {
        if (binder && i > 0) keep_outermost(node.kids[i], false, false);
        else keep_in_binder_bodies(node.kids[i]);
    }
}
void mark_binder_bodies(program::Node& node, const std::vector<program::Node>& lets) {
    (void)openness(node, lets);
    keep_in_binder_bodies(node);
}

// CompiledRule::let_levels: the `for` variables each let reads, directly or
// through the lets it names (which come before it or are shared ones after it:
// worked out until nothing changes, as reads_cells is).
std::vector<std::uint32_t> let_levels(program::CompiledRule& rule) {
    auto level_of_slot = [&rule](std::uint32_t slot) -> std::uint32_t {
        for (std::size_t k = 0; k < rule.bindings.size(); ++k)
            if (rule.bindings[k].slot == slot) return static_cast<std::uint32_t>(k + 1);
        return 0;
    };
    std::vector<std::uint32_t> levels(rule.lets.size(), 0);
    // The deepest binding `node` reads; a binder's own variable is not a binding.
    std::function<std::uint32_t(const program::Node&)> deepest = [&](const program::Node& node) {
        std::uint32_t level = 0;
        if (node.op == program::Op::Variable) level = level_of_slot(node.slot);
        if (node.op == program::Op::Let && node.slot < levels.size()) level = levels[node.slot];
        for (const auto& kid : node.kids) level = std::max(level, deepest(kid));
        return level;
    };
    for (std::size_t pass = 0; pass <= rule.lets.size(); ++pass) {
        bool changed = false;
        for (std::size_t i = 0; i < rule.lets.size(); ++i) {
            const std::uint32_t level = deepest(rule.lets[i]);
            changed = changed || level != levels[i];
            levels[i] = level;
        }
        if (!changed) break;
    }
    return levels;
}

}  // namespace

RuleCompiler::RuleCompiler(const TemplateCatalog& catalog, const program::Program& program)
    : catalog_(catalog), program_(program) {}

std::vector<RuleDiagnostic> RuleCompiler::take_errors() {
    std::vector<RuleDiagnostic> out = std::move(errors_);
    errors_.clear();  // diag_ keeps writing here
    return out;
}

AppliesTo RuleCompiler::compile_applies_to(const YamlText& text, Scope& scope, std::uint32_t& variable_count,
                                           bool names_may_be_inherited) {
    AppliesTo out;
    CompileEnv meta{diag_, {}, &names_, true, {}, 0, 0, &catalog_, {}, "let", {}};
    meta.names_may_be_inherited = names_may_be_inherited;
    meta.unknown_templates = &out.unknown;
    const std::size_t errors_before = errors_.size();
    auto n = compile_condition(text, meta, scope, "applies-to");
    variable_count = meta.max_slot;
    // An applies-to with an error holds for no template: the rules it covers
    // would all report the tables they name as unknown, one error as dozens.
    if (errors_.size() > errors_before) return out;
    if (out.unknown.empty())
        out.node = std::move(n);
    else
        out.but_for_unknown = std::move(n);
    return out;
}

bool RuleCompiler::only_unknown_templates(const AppliesTo& applies, std::uint32_t variable_count, std::size_t pack,
                                          const std::vector<const TemplateSchema*>& among) {
    return applies.but_for_unknown && !among.empty() && admitted(applies.but_for_unknown, variable_count, pack, among).empty();
}

void RuleCompiler::say_unknown_templates(const std::vector<UnknownTemplate>& unknown,
                                         const std::vector<UncheckedName>& unchecked) {
    for (const auto& u : unknown) diag_.error(*u.at, u.offset, unknown_template_error(u, catalog_, unchecked));
}

std::vector<UncheckedName> RuleCompiler::take_unchecked() {
    std::vector<UncheckedName> out = std::move(unchecked_);
    unchecked_.clear();
    return out;
}

program::Node RuleCompiler::compile_param_value(const YamlText& v, CompileEnv& env, Scope& scope) {
    if (v.quoted) {
        program::Node n;
        n.op = program::Op::Constant;
        n.constant = v.text;
        n.type = Type::of(Kind::String);
        n.pos = v.pos;
        return n;
    }
    ExpressionCompiler c(env, scope, v);
    auto n = c.compile_text();
    return n ? std::move(*n) : program::Node{};
}

// How deep evaluating `n` recurses: its own nesting and that of the lets and
// params it names, each measured when it was compiled. The parser bounds one
// expression; a chain of lets (l2: l1 + 1, l3: l2 + 1, …) must be bounded too.
std::size_t RuleCompiler::evaluated_depth(const program::Node& n) const {
    std::size_t deepest = 0;
    if (n.op == program::Op::Let && n.slot < let_depths_.size()) deepest = let_depths_[n.slot];
    if (n.op == program::Op::Param)
        if (auto depths = param_depths_.find(n.param_pack); depths != param_depths_.end() && n.slot < depths->second.size())
            deepest = depths->second[n.slot];
    for (const auto& k : n.kids) deepest = std::max(deepest, evaluated_depth(k));
    return deepest + 1;
}

// evaluated_depth(n), after an error at `at` when that is deeper than the
// parser allows one expression (`what`: "let 'x'", "the check"). Then 1: the
// lets and params that name this one are not reported as well.
std::size_t RuleCompiler::checked_depth(const program::Node& n, const YamlText& at, const std::string& what) {
    std::size_t depth = evaluated_depth(n);
    if (depth <= grammar::max_tree_depth) return depth;
    diag_.error(at, 0, what + " is more than " + std::to_string(grammar::max_tree_depth) +
                           " operations deep, counting the lets and params it names: compute it in fewer steps "
                           "(sum(…) rather than a chain of lets)");
    return 1;
}

void RuleCompiler::compile_params(const PackDecl& d, program::CompiledPack& pack, PackFrame& frame) {
    Scope& scope = frame.scope;
    param_depths_ = frame.param_depths;  // the extended packs' params, in scope already
    auto& depths = param_depths_[static_cast<std::uint32_t>(frame.pack)];
    CompileEnv env{diag_, {}, &names_, true, {}, 0, 0, &catalog_, {}, "param", {}};
    env.names_may_be_inherited = frame.names_may_be_inherited;
    for (std::size_t k = 0; k < d.params.size(); ++k) {
        const auto& p = d.params[k];
        env.declaring = p.name.text;
        env.declared_later.clear();
        for (std::size_t later = k + 1; later < d.params.size(); ++later) env.declared_later.push_back(d.params[later].name.text);
        program::Node value;
        std::vector<const YamlText*> items;
        std::vector<Type> item_types;
        if (p.is_list) {
            value.op = program::Op::ListLiteral;
            value.pos = p.name.pos;
            std::optional<Type> element;
            for (const auto& item : p.values) {
                value.kids.push_back(compile_param_value(item, env, scope));
                items.push_back(&item);
                item_types.push_back(value.kids.back().type);
                element = element ? (element->kind == value.kids.back().type.kind ? *element : Type{}) : value.kids.back().type;
            }
            value.type = Type::list_of(element.value_or(Type{}));
        } else if (!p.values.empty()) {
            value = compile_param_value(p.values.front(), env, scope);
        }
        Symbol s;
        s.kind = Symbol::Kind::Param;
        s.name = p.name.text;
        s.slot = static_cast<std::uint32_t>(pack.params.size());
        s.pack = static_cast<std::uint32_t>(frame.pack);
        s.type = value.type;
        s.holds_template = program::is_template(value);
        if (value.op == program::Op::Constant && value.constant.is<std::string>()) s.text = value.constant.as<std::string>();
        s.items = std::move(items);
        s.item_types = std::move(item_types);
        if (!p.is_list && !p.values.empty()) s.value = &p.values.front();
        if (value.op == program::Op::ListLiteral)
            for (const auto& item : value.kids)
                if (item.op == program::Op::Constant && item.constant.is<std::string>())
                    s.texts.push_back(item.constant.as<std::string>());
        check_identifier(p.name, "param");
        const Symbol* before = scope.find(p.name.text);
        const bool builtin = before && before->kind == Symbol::Kind::Global;
        // A name refused here is read as a value of unknown type: the rules that
        // meant the table by it are not refused too. One refused for being the
        // report's own value (year) leaves that value to them, as they meant it.
        bool refused = false;
        if (check_clash(scope, p.name, 0, p.name.text, "param", false) || hides_extended_param(scope, p.name, frame)) {
            s.type = Type{};
            s.holds_template = false;
            refused = true;
        }
        s.declared = &p.name;
        if (!(refused && builtin)) scope.symbols.push_back(s);
        depths.push_back(checked_depth(value, p.name, "param '" + p.name.text + "'"));
        pack.param_names.push_back(p.name.text);
        pack.params.push_back(std::move(value));
    }
    env.declaring.clear();
    pack.param_variable_count = env.max_slot;
    frame.param_depths = param_depths_;
}

// A param of an extended pack is read by that pack's rules, which a param of
// the same name here does not change: an author who writes it to tighten the
// extended pack's threshold would believe it changed.
bool RuleCompiler::hides_extended_param(const Scope& scope, const YamlText& name, const PackFrame& frame) {
    const Symbol* s = scope.find(name.text);
    if (!s || s->kind != Symbol::Kind::Param || s->pack == frame.pack || s->pack >= program_.packs.size()) return false;
    const program::CompiledPack& base = program_.packs[s->pack];
    const std::string file = base.file.substr(base.file.find_last_of('/') + 1);
    const std::string line = s->declared ? " (" + file + ":" + std::to_string(s->declared->pos.line) + ")" : std::string();
    diag_.error(name, 0, "param '" + name.text + "' has the name of a param of the extended pack '" + base.id + "'" + line +
                             ", whose rules read their own: this one would not change it, only hide it here (call it "
                             "something else; to change a rule of that pack, write a rule of its id here, which replaces it)");
    return true;
}

bool RuleCompiler::check_clash(const Scope& scope, const YamlText& text, std::uint32_t offset, const std::string& name,
                               const char* what, bool rule_own) {
    // A table's name is not in any scope: a name declared so would hide the
    // table wherever it is written, without a word.
    const bool table = std::any_of(catalog_.templates.begin(), catalog_.templates.end(),
                                   [&](const TemplateSchema& t) { return t.table(name) != nullptr; });
    if (table) {
        diag_.error(text, offset, std::string(what) + " name '" + name + "' is the name of a table: " +
                                      (rule_own ? "this rule" : "rules") + " would read this " + what +
                                      " instead of the table (call it something else)");
        return true;
    }
    const Symbol* s = scope.find(name);
    if (!s) return false;
    // A let or `for` variable named as a param hides it from its whole rule,
    // where the param is not written down to be seen.
    if (rule_own && s->kind == Symbol::Kind::Param) {
        diag_.error(text, offset, std::string(what) + " name '" + name + "' is also a param of the pack: this rule would read "
                                      "this " + what + " instead of the param (call it something else)");
        return true;
    }
    // A param is read by every rule of the pack and its applies-to, far from where
    // it is declared; a let or `for` variable may hide a name of the report in its
    // own rule (gov-2019.yaml's `published`), where the reader sees both.
    if (s->kind == Symbol::Kind::Global && !rule_own) {
        diag_.error(text, offset, std::string(what) + " name '" + name + "' is the report's own " + name +
                                      ": rules would read this " + what + " instead of it (call it something else)");
        return true;
    }
    // A rule's own names: its `for` variables and lets (a param is the pack's;
    // one named as an extended pack's is hides_extended_param()'s to say).
    const bool own = std::any_of(scope.symbols.begin(), scope.symbols.end(), [&](const Symbol& o) { return &o == s; });
    if (!rule_own || !own) return false;
    diag_.error(text, offset, std::string(what) + " name '" + name + "' is already this rule's " +
                                  (s->kind == Symbol::Kind::Let ? "let" : "`for` variable") + " (give each its own name)");
    return true;
}

void RuleCompiler::check_identifier(const YamlText& name, const char* what) {
    try {
        ast::Expr e = parse_expression(name.text);
        if (std::holds_alternative<ast::Name>(e.node)) return;
    } catch (const SyntaxError&) {
    }
    diag_.error(name, 0, std::string(what) + " name '" + name.text + "' is not a name: use letters, digits and '_'");
}

namespace {

// The branch of an `if` (maybe nested) that cannot give a condition: an `if`
// whose branches differ has no one type, and is let through where any value
// goes (a message's `{if n > 1 then map(…) else ""}`), not where a condition must.
const program::Node* not_a_condition(const program::Node& n) {
    if (n.op == program::Op::If && n.kids.size() == 3) {
        if (const auto* bad = not_a_condition(n.kids[1])) return bad;
        return not_a_condition(n.kids[2]);
    }
    return types::is_condition(n.type) ? nullptr : &n;
}

}  // namespace

std::optional<program::Node> RuleCompiler::compile_condition(const YamlText& text, CompileEnv& env, Scope& scope, const char* what) {
    ExpressionCompiler c(env, scope, text);
    auto n = c.compile_text();
    if (!n) return n;
    if (const program::Node* bad = not_a_condition(*n)) {
        if (bad == &*n)
            c.error(0, std::string(what) + " must be a condition, not " + types::describe(n->type));
        else if (text.source && bad->pos.known())
            diag_.error(*text.source, bad->pos, std::string(what) + " must be a condition, but this branch of its 'if' gives " +
                                  types::describe(bad->type) + " (make both branches conditions)");
        else
            c.error(0, std::string(what) + " must be a condition, but a branch of its 'if' gives " +
                           types::describe(bad->type) + " (make both branches conditions)");
        return std::nullopt;
    }
    return n;
}

namespace {

// The years template `t` names: from its first (1990 when it names none, or its
// last if that is earlier) to its last (20 years past 2030 or its first when it
// names none). The template loader keeps a named year within 1990–2100.
std::pair<int, int> named_years(const TemplateSchema& t) {
    const int lo = t.first_year > 0 ? t.first_year : t.last_year > 0 ? std::min(1990, t.last_year) : 1990;
    const int hi = t.last_year > 0 ? t.last_year : std::max(lo, 2030) + 20;
    return {lo, hi};
}

}  // namespace

// The years whose reports get template `t`: those it covers that a template
// starting later does not take over (template_for_year: gov-2027 {from: 2027}
// leaves gov-2021 {from: 2021} 2021–2026). A template that later ones leave no
// year is its template file's mistake: its rules are then judged in the years it
// names, as before, rather than each said to apply to no template.
std::vector<int> RuleCompiler::years_of(const TemplateSchema& t) const {
    const auto [lo, hi] = named_years(t);
    std::vector<int> years;
    for (int y = lo; y <= hi; ++y)
        if (template_for_year(catalog_, y) == &t) years.push_back(y);
    if (years.empty())
        for (int y = lo; y <= hi; ++y) years.push_back(y);
    return years;
}

// The years whose reports get template `t`, as an error says them: "2021–2026",
// "from 2027", "to 2018", "2019–2020, 2023"; a later template may have cut them short.
std::string RuleCompiler::describe_years(const TemplateSchema& t) const {
    const std::vector<int> years = years_of(t);
    const int open_end = t.last_year > 0 ? 0 : named_years(t).second;
    std::string out;
    for (std::size_t i = 0; i < years.size();) {
        std::size_t end = i;
        while (end + 1 < years.size() && years[end + 1] == years[end] + 1) ++end;
        const bool from_start = i == 0 && t.first_year == 0, to_end = years[end] == open_end;
        const std::string run = from_start && to_end ? "every year"
                                : to_end             ? fmt::format("from {}", years[i])
                                : from_start         ? fmt::format("to {}", years[end])
                                : end == i           ? fmt::format("{}", years[i])
                                                     : fmt::format("{}–{}", years[i], years[end]);
        out += (out.empty() ? "" : ", ") + run;
        i = end + 1;
    }
    return out;
}

// The years of template `t` an applies-to is tried in: each its reports can be of
// when the applies-to reads the year; else the first says as much as all.
std::vector<int> RuleCompiler::years_to_try(const TemplateSchema& t, bool by_year) const {
    if (by_year) return years_of(t);
    const auto [lo, hi] = named_years(t);
    for (int y = lo; y <= hi; ++y)
        if (template_for_year(catalog_, y) == &t) return {y};
    return {lo};
}

std::vector<const TemplateSchema*> RuleCompiler::admitted(const std::optional<program::Node>& applies, std::uint32_t variable_count,
                                            std::size_t pack, const std::vector<const TemplateSchema*>& among) {
    if (!applies) return among;
    // Most applies-to name the template only: one year then says as much as all.
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    const bool by_year = reads_year(*applies, seen);
    std::vector<const TemplateSchema*> out;
    for (const auto* t : among) {
        ReportModel model;
        model.template_schema = t;
        model.metadata.detected.template_id = t->id;
        bool any = false;
        eval::Context ctx(model, program_);
        ctx.pack = pack;
        ctx.only_year_and_template = true;
        for (int y : years_to_try(*t, by_year)) {
            if (any) break;
            model.metadata.year = y;
            for (auto& params : ctx.params)  // a param may read the year (one of an extended pack too)
                for (auto& param : params) param.reset();
            ctx.steps = 0;  // a work bound per year, as per report
            try {
                eval::Value v = eval::evaluate_apart(ctx, *applies, variable_count);
                // What only a report tells may make it hold: only a sure false excludes.
                any = !(v.is<bool>() && !v.as<bool>());
            } catch (const eval::WorkLimitExceeded&) {
                break;
            }
        }
        if (any) out.push_back(t);
    }
    return out;
}

bool RuleCompiler::may_hold_together(const std::vector<Condition>& conditions,
                                     const std::vector<const TemplateSchema*>& among) {
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    const bool by_year = std::any_of(conditions.begin(), conditions.end(),
                                     [&](const Condition& c) { return c.node && reads_year(*c.node, seen); });
    for (const auto* t : among) {
        ReportModel model;
        model.template_schema = t;
        model.metadata.detected.template_id = t->id;
        for (int y : years_to_try(*t, by_year)) {
            model.metadata.year = y;
            bool all = true;
            for (const auto& c : conditions) {
                if (!c.node) continue;
                eval::Context ctx(model, program_);
                ctx.pack = c.pack;
                ctx.only_year_and_template = true;
                try {
                    const eval::Value v = eval::evaluate_apart(ctx, *c.node, c.variable_count);
                    all = !(v.is<bool>() && !v.as<bool>());
                } catch (const eval::WorkLimitExceeded&) {
                    // Not worked out: it may hold.
                }
                if (!all) break;
            }
            if (all) return true;
        }
    }
    return false;
}

std::vector<const TemplateSchema*> RuleCompiler::admitted_or_said(const YamlText& at,
                                                                const std::optional<program::Node>& applies,
                                                                std::uint32_t variable_count, std::size_t pack,
                                                                const std::vector<const TemplateSchema*>& among,
                                                                bool* said) {
    std::vector<const TemplateSchema*> out = admitted(applies, variable_count, pack, among);
    if (!out.empty() || among.empty()) return out;
    if (said) *said = true;
    std::string covered;
    for (const auto* t : among) covered += (covered.empty() ? "" : ", ") + t->id + " " + describe_years(*t);
    diag_.error(at, 0, "applies-to holds for no template in any year it covers (" + covered +
                           "), so its rules would never run: check the years and template ids it names");
    return among;
}

// Whether `node` reads the report's year, itself or through a param of `pack`
// (`seen`: the params already looked at).
bool RuleCompiler::reads_year(const program::Node& node, std::set<std::pair<std::uint32_t, std::uint32_t>>& seen) const {
    if (node.op == program::Op::Global && node.global == program::Global::Year) return true;
    if (node.op == program::Op::Param && node.param_pack < program_.packs.size() &&
        node.slot < program_.packs[node.param_pack].params.size() && seen.insert({node.param_pack, node.slot}).second)
        if (reads_year(program_.packs[node.param_pack].params[node.slot], seen)) return true;
    for (const auto& k : node.kids)
        if (reads_year(k, seen)) return true;
    return false;
}

void RuleCompiler::compile_message(const YamlText& text, const ParsedRule& parsed, CompileEnv& env, Scope& scope,
                                   program::CompiledRule& rule) {
    ExpressionCompiler c(env, scope, text);
    c.compiling_message();
    for (const auto& e : parsed.message_errors) c.syntax_error(e);
    for (const auto& p : parsed.message) {
        program::MessagePiece piece;
        if (!p.expr) {
            piece.text = p.text;
            rule.message.push_back(std::move(piece));
            continue;
        }
        piece.expr = c.compile(*p.expr);
        piece.spec = p.spec;
        if (!p.spec.empty()) {
            // The placeholder's expression as written, between its '{' and the ':' of its spec.
            const std::size_t colon = std::min<std::size_t>(p.spec_offset, text.text.size()) - 1;
            const std::string written = trim(std::string_view(text.text).substr(p.offset, colon - std::min<std::size_t>(p.offset, colon)));
            check_spec(text, p.spec_offset, p.spec, piece.expr->type, written);
        }
        rule.message.push_back(std::move(piece));
    }
}

void RuleCompiler::check_spec(const YamlText& text, std::uint32_t offset, const std::string& spec, const Type& type,
                              const std::string& written) {
    // fmt pads to any width it is given: {x:>999999999} would write a gigabyte per finding.
    for (std::size_t i = 0; i < spec.size();) {
        std::size_t end = spec.find_first_not_of("0123456789", i);
        if (end == std::string::npos) end = spec.size();
        if (end - i > 3) {
            diag_.error(text, offset + static_cast<std::uint32_t>(i),
                        "width or precision above 999 in format spec ':" + spec + "' (write e.g. {x:.2f} or {x:>6})");
            return;
        }
        i = end == i ? i + 1 : end;
    }
    std::string f = "{:" + spec + "}";
    auto works = [&](auto sample) {
        try {
            (void)fmt::format(fmt::runtime(f), sample);
            return true;
        } catch (const fmt::format_error&) {
            return false;
        }
    };
    bool numeric = types::is_numeric(type);
    bool ok = (numeric && works(1.5)) || (!numeric && works(std::string("x"))) || (types::is_any(type) && works(1.5));
    if (ok) return;
    // The example must be one that works for this value, not the spec refused.
    std::string hint = " (write e.g. {x:.2f} or {x:>6})";
    if (numeric && !spec.empty() && std::string_view("dboxXc").find(spec.back()) != std::string_view::npos)
        hint = ": ':" + std::string(1, spec.back()) + "' is for integers, and a rule's numbers have decimals (write e.g. "
               "{x:.0f} for none, or {x:>6})";
    else if (!numeric)
        hint = std::string(type.kind == Kind::String ? ": text" : ": it is shown as text, which") +
               " takes a width and an alignment but no precision or number type (write e.g. {x:>10} or {x:<10})";
    // The value named: the same spec refused in two placeholders of a line is
    // two errors, not one said once (Diagnostics), and says which it is.
    diag_.error(text, offset, "invalid format spec ':" + spec + "' for " +
                                  (written.empty() ? "" : "{" + shortened(written, 40) + "}, ") + types::describe(type) + hint);
}

namespace {

bool identifier_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// The word at byte `at` of `text` ("" where none starts).
std::string_view word_at(std::string_view text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && identifier_byte(text[end])) ++end;
    return text.substr(at, end - at);
}

// Whether `text` holds a word that may mean the `for` variable `s`: its name,
// or one close to it that names nothing else of `scope` (`cc` for `c`, not `r`).
bool may_mean(std::string_view text, const Symbol& s, const Scope& scope) {
    for (std::size_t at = 0; at < text.size();) {
        if (!identifier_byte(text[at])) {
            ++at;
            continue;
        }
        const std::string word(word_at(text, at));
        at += word.size();
        const bool number = word[0] >= '0' && word[0] <= '9';
        if (word == s.name || (!number && !scope.find(word) && names::closest(word, {s.name}))) return true;
    }
    return false;
}

// Whether the rule `d` may mean to read its `for` variable `s` somewhere an
// error kept from being compiled: where the variable is written, or misspelt,
// but for its own declaration and the words of the message around placeholders.
bool may_read_it(const RuleDecl& d, const Symbol& s, const Scope& scope) {
    const auto in = [&](const YamlText& t) { return t.present && may_mean(t.text, s, scope); };
    if (in(d.when) || in(d.check)) return true;
    if (std::any_of(d.lets.begin(), d.lets.end(), [&](const auto& let) { return in(let.second); })) return true;
    if (d.message.present)
        for (std::size_t open = d.message.text.find('{'); open != std::string::npos; open = d.message.text.find('{', open + 1))
            if (may_mean(std::string_view(d.message.text).substr(open + 1, d.message.text.find('}', open) - open - 1), s, scope))
                return true;
    for (const YamlText& b : d.bindings) {
        const std::string_view text = b.text;
        if (&b != s.declared) {
            if (may_mean(text, s, scope)) return true;
            continue;
        }
        const std::size_t name_at = std::min<std::size_t>(s.declared_offset, text.size());
        if (may_mean(text.substr(0, name_at), s, scope) ||
            may_mean(text.substr(std::min(text.size(), name_at + s.name.size())), s, scope))
            return true;
    }
    return false;
}

// What a `for` that does not parse says, for the slips of other languages:
// bindings apart with ';' (write ',' or a YAML list), 'c of list' (write 'in').
std::string binding_error(std::string_view text, std::size_t offset, const std::string& message) {
    if (offset < text.size() && text[offset] == ';') {
        std::string fixed(text);
        for (char& ch : fixed)
            if (ch == ';') ch = ',';
        return "';' does not separate bindings: write them apart with ',' (for: " + fixed +
               ") or as a YAML list, one '- c in …' a line under 'for:'";
    }
    if (message.starts_with("expected 'in'"))
        if (const std::string_view word = word_at(text, offset); !word.empty())
            return "expected 'in' after the name of the binding, not '" + std::string(word) + "': write '" +
                   std::string(word_at(text, text.find_first_not_of(" \t\r\n"))) + " in …'";
    return message;
}

// The names a `for` that does not parse binds: the first word of each part
// between ',' or ';'.
std::vector<std::string> binding_names(std::string_view text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find_first_of(",;", at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view part = text.substr(at, end - at);
        const std::size_t first = part.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos) {
            const std::string_view word = word_at(part, first);
            // Followed by more (the 'in' and a list): a name being bound, not a stray word.
            if (!word.empty() && part.find_first_not_of(" \t\r\n", first + word.size()) != std::string_view::npos)
                out.emplace_back(word);
        }
        at = end + 1;
    }
    return out;
}

}  // namespace

RuleCompiler::ParsedRule RuleCompiler::parse_rule(const RuleDecl& d, CompileEnv& env) {
    ParsedRule out;
    out.bindings.resize(d.bindings.size());
    std::string rule_for;
    for (const auto& text : d.bindings) rule_for += (rule_for.empty() ? "" : ", ") + text.text;
    auto collect = [&](const ast::Expr& e, const YamlText& text, const std::string& where) {
        collect_quantifier_variables(e, text, where, rule_for, env.quantifier_variables);
    };
    for (std::size_t t = 0; t < d.bindings.size(); ++t) {
        const YamlText& text = d.bindings[t];
        try {
            out.bindings[t] = parse_bindings(text.text);
            for (const auto& b : *out.bindings[t]) collect(b.collection, text, "the for");
        } catch (const SyntaxError& e) {
            diag_.error(text, e.offset(), binding_error(text.text, e.offset(), e.what()));
        }
    }
    // A text that does not parse is said where it is compiled.
    auto collect_text = [&](const YamlText& text, const std::string& where) {
        if (!text.present || text.quoted) return;
        try {
            collect(*parse_expression_shared(text.text), text, where);
        } catch (const SyntaxError&) {
        }
    };
    for (const auto& [name, expr] : d.lets) collect_text(expr, "let '" + name.text + "'");
    collect_text(d.when, "the when");
    collect_text(d.check, "the check");
    if (d.message.present) {
        out.message = parse_message(d.message.text, out.message_errors);
        for (const auto& p : out.message)
            if (p.expr) collect(*p.expr, d.message, "the message");
    }
    return out;
}

void RuleCompiler::compile_bindings(const RuleDecl& d, const ParsedRule& parsed, CompileEnv& env, Scope& scope,
                                    program::CompiledRule& rule) {
    // A list that reads a name bound after it is told to move that binding up,
    // as a let reading a later let is.
    std::vector<std::string> later;
    for (const auto& bindings : parsed.bindings)
        if (bindings)
            for (const auto& b : *bindings) later.push_back(b.name);
    env.reading = "the for";
    env.declared_later_kind = "`for` variable";
    std::size_t bound = 0;
    for (std::size_t t = 0; t < d.bindings.size(); ++t) {
        const YamlText& text = d.bindings[t];
        ExpressionCompiler c(env, scope, text);
        if (!parsed.bindings[t]) {
            // The names it meant to bind are known, though not what they range
            // over: declared, their uses are not reported as unknown tables too.
            for (const std::string& name : binding_names(text.text)) {
                if (scope.find(name)) continue;
                c.declare_variable(name, program::Node{}, 0);
                scope.symbols.back().used = true;
            }
            continue;
        }
        for (const auto& b : *parsed.bindings[t]) {
            const bool clashes = check_clash(scope, text, b.name_offset, b.name, "`for` variable", true);
            env.declared_later.assign(later.begin() + static_cast<std::ptrdiff_t>(++bound), later.end());
            program::Node coll = c.compile(b.collection);
            const std::uint32_t slot = c.declare_variable(b.name, coll, b.collection.offset);
            Symbol& declared = scope.symbols.back();
            declared.declared = &text;
            declared.declared_offset = b.name_offset;
            declared.used = clashes;  // one error for the name, not another for its use
            if (clashes) declared.type = Type{};  // nor for what its uses do with it
            rule.bindings.push_back(program::Binding{b.name, slot, std::move(coll)});
        }
    }
    env.declared_later.clear();
    env.declared_later_kind = "let";
}

program::CompiledRule RuleCompiler::compile_rule(const RuleDecl& d, const PackFrame& frame) {
    param_depths_ = frame.param_depths;
    program::CompiledRule rule;
    rule.id = d.id.text;
    rule.title = d.title.text;
    rule.basis = d.basis.text;
    for (const auto& t : d.tags) rule.tags.push_back(t.text);
    rule.pack = frame.pack;
    rule.file = frame.file;
    rule.pos = d.id.present ? d.id.pos : d.pos;
    if (d.severity.present) {
        if (auto s = parse_severity(d.severity.text))
            rule.severity = *s;
        else
            diag_.error(d.severity, 0, severity_error(d.severity.text));
    }
    if (d.kind.present) {
        if (auto k = parse_kind(d.kind.text))
            rule.kind = *k;
        else
            diag_.error(d.kind, 0, not_one_of("kind", d.kind.text, {"sum", "percentage", "required", "consistency", "format"}));
    }
    Scope scope;
    scope.outer = &frame.scope;
    std::vector<const TemplateSchema*> templates = frame.templates;
    bool applies_unsure = frame.applies_unsure;
    bool only_unknown = frame.only_unknown_templates;
    std::vector<const TemplateSchema*> known_too = frame.known_too;
    AppliesTo applies;
    if (d.applies_to.present) {
        applies = compile_applies_to(d.applies_to, scope, rule.applies_variable_count, frame.names_may_be_inherited);
        rule.applies_to = std::move(applies.node);
        rule.applies_to_text = d.applies_to.text;
        if (rule.applies_to && only_unknown) {
            // The pack's templates are not in the catalog: this may hold for them.
            auto admitted_here = admitted(rule.applies_to, rule.applies_variable_count, frame.pack, templates);
            if (!admitted_here.empty()) templates = std::move(admitted_here);
        } else if (rule.applies_to) {
            templates = admitted_or_said(d.applies_to, rule.applies_to, rule.applies_variable_count, frame.pack, templates);
            if (!known_too.empty())
                known_too = admitted(rule.applies_to, rule.applies_variable_count, frame.pack, known_too);
        } else {
            applies_unsure = true;
            only_unknown = only_unknown ||
                           only_unknown_templates(applies, rule.applies_variable_count, frame.pack, templates);
            // `template in ["gov-2019", "gov-2027"]`: gov-2019 is known, its names are checked.
            known_too = only_unknown || !applies.but_for_unknown
                            ? std::vector<const TemplateSchema*>{}
                            : admitted(applies.but_for_unknown, rule.applies_variable_count, frame.pack,
                                       known_too.empty() ? templates : known_too);
        }
    }
    std::vector<UncheckedName> unchecked;
    CompileEnv env{diag_, templates, &names_, false, {}, 0, 0, &catalog_, {}, "let", {}, &rule.set_aside};
    // An applies-to whose only errors are ids the catalog lacks says which known templates it admits.
    env.applies_unsure = applies_unsure && known_too.empty();
    env.names_may_be_inherited = frame.names_may_be_inherited;
    env.standard_pack = frame.standard;
    env.only_unknown_templates = only_unknown;
    env.known_too = std::move(known_too);
    env.unchecked = &unchecked;
    const std::size_t errors_before_body = errors_.size();
    const ParsedRule parsed = parse_rule(d, env);
    compile_bindings(d, parsed, env, scope, rule);
    const bool for_failed = errors_.size() != errors_before_body;
    std::size_t first_let = scope.symbols.size();
    let_depths_.clear();
    // A let is evaluated where it is first used, maybe inside a quantifier of
    // the check or of another let: each gets quantifier slots of its own, so that
    // evaluating it never overwrites a variable its user is still reading.
    auto fresh_slots = [&env] { env.next_slot = env.max_slot; };
    for (std::size_t k = 0; k < d.lets.size(); ++k) {
        const auto& [name, expr] = d.lets[k];
        env.declared_later.clear();
        for (std::size_t later = k + 1; later < d.lets.size(); ++later) env.declared_later.push_back(d.lets[later].first.text);
        check_identifier(name, "let");
        const bool clashes = check_clash(scope, name, 0, name.text, "let", true);
        fresh_slots();
        env.declaring = name.text;
        env.reading = "let '" + name.text + "'";
        ExpressionCompiler c(env, scope, expr);
        auto n = c.compile_text();
        env.declaring.clear();
        Symbol s;
        s.kind = Symbol::Kind::Let;
        s.name = name.text;
        s.slot = static_cast<std::uint32_t>(rule.lets.size());
        s.type = n && !clashes ? n->type : Type{};
        s.holds_template = n && !clashes && program::is_template(*n);
        s.holds_cell = n && !clashes && program::names_a_cell(*n);
        s.declared = &name;
        s.used = clashes;  // one error for the name, not another for its use
        scope.symbols.push_back(s);
        rule.lets.push_back(n ? std::move(*n) : program::Node{});
        rule.let_names.push_back(name.text);
        let_depths_.push_back(checked_depth(rule.lets.back(), name, "let '" + name.text + "'"));
    }
    env.declared_later.clear();
    fresh_slots();
    env.reading = "the when";
    if (d.when.present) rule.when = compile_condition(d.when, env, scope, "when");
    if (rule.when) checked_depth(*rule.when, d.when, "the when");
    rule.check_text = d.check.text;
    env.reading = "the check";
    if (d.check.present)
        if (auto c = compile_condition(d.check, env, scope, "check")) rule.check = std::move(*c);
    if (d.check.present) checked_depth(rule.check, d.check, "the check");
    env.reading = "the message";
    if (d.message.present) compile_message(d.message, parsed, env, scope, rule);
    for (const auto& piece : rule.message)
        if (piece.expr) checked_depth(*piece.expr, d.message, "a placeholder of the message");
    // A `for` whose variable nothing reads repeats one check for every value:
    // the rule meant to read it (表三.本年新收[c]) and does not. After an error
    // of the rule's text or its for (a binding that is no list) that is no news.
    // An expression is not compiled past its first error, so after one in the
    // body a variable may be read where it was not reached: it is said unused
    // only when no word of the rule may mean it (a misspelt use compiled marks
    // it used; `zzz` beside `c` is an error of its own, not this one).
    const bool body_failed = errors_.size() != errors_before_body;
    for (std::size_t i = 0; i < first_let && !for_failed; ++i) {
        const Symbol& s = scope.symbols[i];
        if (s.kind == Symbol::Kind::Variable && !s.used && s.declared &&
            !(body_failed && may_read_it(d, s, scope)))
            diag_.error(*s.declared, s.declared_offset,
                        "unused for variable '" + s.name + "': use it in when, check, a let or the message, or remove it "
                        "(the rule would check the same thing once for each value of " + s.name + ")");
    }
    for (std::size_t i = first_let; i < scope.symbols.size(); ++i) {
        const Symbol& s = scope.symbols[i];
        const auto& early = env.used_too_early;
        if (s.kind == Symbol::Kind::Let && !s.used && s.declared &&
            std::find(early.begin(), early.end(), s.name) == early.end())
            diag_.error(*s.declared, 0, "unused let '" + s.name + "': remove it or use it in when, check or message");
    }
    // The rule's own unknown template is told by what the rule reads; else its pack's is.
    if (!applies.unknown.empty())
        say_unknown_templates(applies.unknown, unchecked);
    else
        unchecked_.insert(unchecked_.end(), std::make_move_iterator(unchecked.begin()),
                          std::make_move_iterator(unchecked.end()));
    rule.variable_count = env.max_slot;
    rule.tables = env.tables;
    list_named_cells(rule);
    find_cells_key(rule);
    for (const auto* t : templates)
        if (std::none_of(rule.set_aside.begin(), rule.set_aside.end(),
                         [&](const program::SetAside& a) { return a.template_id == t->id; }))
            rule.template_ids.push_back(t->id);
    share_repeated(rule, static_cast<std::uint32_t>(rule.bindings.size()));
    // A let reads cells when its body does, and lets may name lets: marked until
    // nothing changes (each pass settles at least one more let of a chain).
    for (std::size_t pass = 0; pass <= rule.lets.size(); ++pass) {
        bool changed = false;
        for (auto& let : rule.lets) {
            const bool before = let.reads_cells;
            mark_invariant(let, rule.lets);
            changed = changed || let.reads_cells != before;
        }
        if (!changed && pass > 0) break;
    }
    // A `for` over 表三.columns under one over 表三.rows ranges over the same list
    // for every row: RuleRunner works it out once. The first `for` is worked out
    // once anyway, but what its binders' bodies read closed is kept, not worked out
    // again for each element: in the rows a table prints (filter(x in 表三.rows, not
    // all(z in 表三.columns, absent(x[z])))), 表三.columns.
    if (!rule.bindings.empty()) mark_binder_bodies(rule.bindings.front().collection, rule.lets);
    for (std::size_t k = 1; k < rule.bindings.size(); ++k) mark_invariant(rule.bindings[k].collection, rule.lets);
    if (rule.when) mark_invariant(*rule.when, rule.lets);
    mark_invariant(rule.check, rule.lets);
    rule.let_levels = let_levels(rule);
    for (std::uint32_t i = 0; i < rule.lets.size(); ++i) rule.lets_deepest_first.push_back(i);
    std::stable_sort(rule.lets_deepest_first.begin(), rule.lets_deepest_first.end(),
                     [&rule](std::uint32_t a, std::uint32_t b) { return rule.let_levels[a] > rule.let_levels[b]; });
    return rule;
}

}  // namespace gouji::rules
