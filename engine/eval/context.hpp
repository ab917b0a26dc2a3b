// The state of one evaluation of a compiled rule set against one report: the
// variables of the rule being run, memoized lets and params, the cells the
// current check has read, name lookups, and the work bound.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unicode/regex.h>

#include "engine/eval/eval_value.hpp"
#include "gouji/finding.hpp"
#include "gouji/report_model.hpp"
#include "rules/names.hpp"
#include "rules/program.hpp"

namespace gouji::eval {

// Work allowed for one rule (all its bindings): enough for any real rule over
// the template's tables, small enough to stop a runaway nested quantifier fast.
inline constexpr std::uint64_t max_steps_per_rule = 2'000'000;

// The path of a value a regular expression captured from the prose (builtins.cpp
// record_captures): "captured: 收到政府信息公开申请8件".
inline constexpr std::string_view captured_path_prefix = "captured: ";

// Thrown when a rule exceeds max_steps_per_rule.
struct WorkLimitExceeded {};

// A rule's findings on one report: a table of 表三's size gives at most a few
// hundred (one per cell); more means a check that fails for every binding of a
// `for` over several lists, which the work bound alone would let run to millions
// of findings (gigabytes) first.
inline constexpr std::size_t max_findings_per_rule = 1000;
struct TooManyFindings {};

// How long one regular expression may search one text, in ICU's steps of its
// match engine (about a millisecond each): a pattern such as "(.*)*x" backtracks
// exponentially, and the work bound does not see inside ICU.
inline constexpr std::int32_t regex_time_limit = 2000;

// Thrown when a regular expression gives up on a text: too slow, or too deep.
struct RegexGaveUp {
    std::string pattern;
    std::string reason;  // "took too long", ICU's error otherwise
};

class Context {
public:
    Context(const ReportModel& model, const program::Program& program, const ReportModel* previous = nullptr);

    const ReportModel& model;
    const program::Program& program;
    // The same agency's report of the year before, when one was given: what
    // previous(表三) reads.
    const ReportModel* previous = nullptr;
    const program::CompiledRule* rule = nullptr;
    std::size_t pack = 0;  // the pack whose params are in scope
    std::vector<Value> vars;
    std::vector<std::optional<Value>> lets;
    // Forgets the lets worked out for the current check (a check redone, a probe).
    void forget_lets() {
        for (auto& let : lets)
            if (let) let.reset();
    }
    // A param's value and the values it read (recorded by every check that reads
    // the param while recording): it is worked out once per report, by whichever
    // check reads it first, and that may be one that records nothing.
    struct KeptParam {
        Value value;
        std::vector<CellRef> cells;
        bool recorded = false;  // else worked out silently: no cells, and a missing value does not say why
    };
    std::vector<std::vector<std::optional<KeptParam>>> params;  // per pack
    std::uint64_t steps = 0;

    // Cells (and figures, sections) read while `recording`, in first-use order.
    std::vector<CellRef> cells;
    bool recording = true;
    // Set while the compiler works out which templates an applies-to admits: all
    // the report tells but its year and template (agency, title, sections…) is
    // missing, so that a condition on it may hold rather than fail.
    bool only_year_and_template = false;
    // Bumped, while not recording, wherever a recording evaluation would record
    // something (a cell, a figure's number, a section) or reads a value kept from
    // before that might have: a param worked out silently without a bump records
    // nothing, so a check that records need not work it out again (kept_value).
    mutable std::uint64_t recordable_reads = 0;
    void record(CellRef&& ref);
    void record(const CellRef& ref);  // copied only when not recorded yet
    // Whether the cell (row, column) of `schema`'s table, the previous report's
    // when `from_before`, is recorded (by its table's name and place).
    bool has_recorded_cell(const TableSchema& schema, bool from_before, std::size_t row, std::size_t column) const;
    // Whether `ref` is to be recorded: recording, and not recorded yet (by path).
    bool records(const CellRef& ref) const;
    // A figure read before in this check (checks read a list's parts several times).
    bool has_recorded_figure(const Figure& figure) const;

    // Values of invariant expressions (program::Node::invariant) in this report.
    struct KeptInvariant {
        Value value;
        // Worked out recording, and it read no value a finding lists (rows chosen
        // by their group, say): a recording check may use it as it is. Else it was
        // worked out silently, and a missing value does not say why.
        bool records_nothing = false;
    };
    std::unordered_map<const program::Node*, KeptInvariant> invariant_values;

    // One matcher per literal regex of the rules, reset for each text: making a
    // matcher allocates, and rules match the context of every figure.
    std::unordered_map<const program::CompiledRegex*, std::unique_ptr<icu::RegexMatcher>> matchers;

    // normalize_label(name), remembered: rules look up the same few names for
    // every binding of every rule.
    const std::string& normalized(const std::string& name) {
        if (auto known = program.normalized_texts.find(name); known != program.normalized_texts.end()) return known->second;
        return names_.key(name);
    }

    // Suggestions (engine/eval/suggest.cpp) probe how a relation moves with one
    // cell: while set, the table cell (table, row, column) reads as `number`.
    struct Substitute {
        const TableSchema* schema = nullptr;  // null: no cell of the report's tables
        // The audited report's table: the previous report's may share its schema.
        const BoundTable* bound = nullptr;
        std::size_t row = 0, column = 0;
        double number = 0;
        bool is(const BoundTable* b, const TableSchema& t, std::size_t r, std::size_t c) const {
            return r == row && c == column && &t == schema && b == bound;
        }
    };
    // The substitute reading the table cell `cell` as `number`.
    Substitute substitute_for(const CellRef& cell, double number) const;
    std::optional<Substitute> substitute;

    void count_step() {
        if (++steps > max_steps_per_rule) throw WorkLimitExceeded{};
    }
    void count_steps(std::uint64_t n) {
        if ((steps += n) > max_steps_per_rule) throw WorkLimitExceeded{};
    }

    // Name lookups through the schema: id, label or alias (normalized).
    std::optional<std::size_t> row_index(const TableSchema& schema, const std::string& key);
    std::optional<std::size_t> column_index(const TableSchema& schema, const std::string& key);
    const NamedLabel* group(const TableSchema& schema, const std::string& key);

    // The report's table `id` (a reference with null `bound`/`schema` when absent;
    // its id views `id`, which must outlive it).
    TableRef table(const std::string& id) const;
    // table(node.name) for a program::Op::Table node, looked up once per report.
    const TableRef& table_of(const program::Node& node);
    // The previous report's table of the same id. Without a previous report, or
    // when it lacks the table, a table that is not found (its cells are missing,
    // and say why). nullopt for a table of the previous report itself: the
    // report before that is not read.
    std::optional<TableRef> previous_table(const TableRef& current);
    // Whether `bound` is a table of the previous report (or stands for one it lacks).
    bool from_previous(const BoundTable* bound) const;
    // Whether previous() was read in this report: else no table is the previous
    // report's, and cells need not ask.
    bool previous_read = false;
    // The evaluation of the previous report's params (previous(other_form)),
    // made on first use; ctx.previous must be set.
    Context& previous_report();

    // The lists of a table's rows and of its columns, of each row's columns
    // (r.columns: a 表二 row has columns of its block only) and of its row groups,
    // made once per report:
    // rules iterate over them for every binding. (Lists are immutable once made.)
    struct TableLists {
        const BoundTable* bound = nullptr;
        List rows, columns;
        std::vector<List> row_columns;
        std::unordered_map<std::string, Value> groups;  // t.group(name) by the name as written
    };
    TableLists& table_lists(const TableSchema& schema, const BoundTable* bound);

    // The lists of the globals `sections`, `figures` and `lists`, made on first use.
    List all_sections, all_figures, all_lists;
    // The parts of each of model.lists, made on first use.
    std::vector<List> parts_of_lists;

    // The rules' plans' (engine/eval/fast.hpp) memory of this report: the values
    // of invariant expressions, and names of rows and columns resolved in a schema.
    std::vector<std::optional<Value>> fast_values;
    struct ResolvedName {
        const TableSchema* schema = nullptr;
        bool rows = false;  // a row's name, else a column's
        std::optional<std::size_t> index;
    };
    std::vector<ResolvedName> fast_names;
    struct ResolvedSlice {  // a slice with constant bounds (r[自然人:其他]) in a schema
        const TableSchema* schema = nullptr;
        bool rows = false;  // a column's slice (of its rows), else a row's
        std::optional<std::pair<std::size_t, std::size_t>> range;
    };
    std::vector<ResolvedSlice> fast_slices;
    // Where `key` is in `schema`'s rows (`rows`) or columns, and the positions a
    // slice of a row or column `object` with constant bounds covers: kept in
    // `kept` (a plan's slot, or the general evaluator's memo of a node) and worked
    // out again only for another schema.
    std::optional<std::size_t> name_in(ResolvedName& kept, const TableSchema& schema, bool rows, const std::string& key);
    std::optional<std::pair<std::size_t, std::size_t>> slice_in(ResolvedSlice& kept, const Value& object,
                                                                const Value* from, const Value* to);
    struct Kept {  // an invariant condition's or number's result (fast.cpp's Truth or Got)
        bool set = false;
        std::uint8_t got = 0;
        Number number;
    };
    std::vector<Kept> fast_kept;

    // What the general evaluator resolved at a node, by the node's address: a
    // small open-addressed table, made on first use, that allocates nothing per
    // node (most are read a few times per report). Past `capacity` nodes the
    // others are worked out each time.
    template <class T>
    class NodeMemo {
    public:
        // The entry of `node` (a default T when new); null when the table is full.
        T* find(const program::Node& node) {
            if (slots_.empty()) slots_.resize(slot_count);
            for (std::size_t i = home(node);; i = (i + 1) % slot_count) {
                Slot& s = slots_[i];
                if (s.node == &node) return &s.value;
                if (s.node) continue;
                if (size_ == capacity) return nullptr;
                ++size_;
                s.node = &node;
                return &s.value;
            }
        }

    private:
        static constexpr std::size_t slot_count = 128, capacity = 96;  // probes stay short
        static std::size_t home(const program::Node& node) {
            return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(&node) * 0x9E3779B97F4A7C15ull) >> 57);
        }
        struct Slot {
            const program::Node* node = nullptr;
            T value;
        };
        std::vector<Slot> slots_;
        std::size_t size_ = 0;
    };
    // The general evaluator's names of rows and columns (表三.本年新收, r.总计) and
    // slices with constant bounds (r[自然人:其他]) resolved in a schema: a check
    // that gives a finding is evaluated again, and its message reads the same names.
    NodeMemo<ResolvedName> names_by_node;
    NodeMemo<ResolvedSlice> slices_by_node;

    // find_section() by name: which section, and its top-level index, per report.
    std::unordered_map<std::string, SectionRef> sections_by_name;

private:
    const names::NameIndex& names_of(const TableSchema& schema) {
        return schema.name_index ? *schema.name_index : names_.of(schema);
    }
    names::NameIndexCache names_;
    std::deque<TableRef> tables_;  // table_of()'s, by id; a deque keeps their addresses
    // Stand-ins for tables the previous report lacks (or a previous report not
    // given), by id: never found, no cells. Node-based, so their addresses last.
    std::map<std::string, BoundTable, std::less<>> absent_previous_;
    std::vector<const BoundTable*> stand_ins_;  // absent_previous_'s, scanned by from_previous() for every cell read
    std::unordered_map<const TableSchema*, TableLists> table_lists_;
    std::unique_ptr<Context> previous_report_;
};


// `slot` holds `value` until the end of the scope, then what it held before, however
// the scope ends (a work bound throws): a param evaluated with cells of its own,
// a pack expression with variables of its own.
template <class T>
class ScopedValue {
public:
    ScopedValue(T& slot, T value) : slot_(slot), saved_(std::exchange(slot, std::move(value))) {}
    ~ScopedValue() { slot_ = std::move(saved_); }
    ScopedValue(const ScopedValue&) = delete;
    ScopedValue& operator=(const ScopedValue&) = delete;

private:
    T& slot_;
    T saved_;
};

Value evaluate(Context& ctx, const program::Node& node);
// The value of `node`, an expression of a pack rather than of the rule being run
// (a param, an applies-to), whose quantifiers get `variable_count` variables of
// their own: it is evaluated in the middle of some rule, whose variables are in use.
Value evaluate_apart(Context& ctx, const program::Node& node, std::uint32_t variable_count);
// The value of `node` without a copy when it is kept somewhere (a constant, a
// variable, a let or a param), else computed into `scratch`. The reference lasts
// until the next evaluation that may assign what it refers to (the compiler gives
// lets and quantifiers slots of their own, so an enclosing expression's is safe).
const Value& evaluate_ref(Context& ctx, const program::Node& node, std::optional<Value>& scratch);

// The cell (row, column) of a bound table; null when the document lacks it.
// (Inline, as the next: every check of a table rule reads cells.)
inline const BoundCell* bound_cell(const BoundTable* bound, std::size_t row, std::size_t column) {
    if (bound && row < bound->cells.size() && column < bound->cells[row].size() && bound->cells[row][column])
        return &*bound->cells[row][column];
    return nullptr;
}
// `number`, written as `v` is (its decimals; a percentage's own rounding).
inline Number written_number(const gouji::Value& v, double number) {
    if (v.unit.size() == 1 && v.unit[0] == '%') return Number::written_percent(number, v.decimals);
    if (v.rounding > 0) return Number{number, number - v.rounding, number + v.rounding, 0};
    return Number::written(number, v.decimals);
}
// `a == b` of any two values, as the language compares them; nullopt when either is missing.
std::optional<bool> equal_values(Context& ctx, const Value& a, const Value& b);
// Comparison `op` of two numbers (==, !=, ~=, <, <=, >, >=); nullopt for any other op.
std::optional<bool> compare_numbers(ast::BinaryOp op, const Number& x, const Number& y);
// The positions [first, second) that a slice of `object`, a row (its columns) or
// a column (its rows), covers from `from` to `to` (either may be absent): numbers
// count from 0, half-open; names are inclusive. nullopt when a name is not there.
// A row's slice keeps only the columns of its block (names::row_has_column).
std::optional<std::pair<std::size_t, std::size_t>> cell_slice(Context& ctx, const Value& object, const Value* from,
                                                              const Value* to);
// Where `name` (a row's or column's name, or a row or column of `schema`) is in
// `schema`'s rows (`rows`) or columns; nullopt when it is not there.
std::optional<std::size_t> resolve_in(Context& ctx, const TableSchema& schema, const Value& name, bool rows);
// The member `node` of `object` (resolved now when the checker could not know its type).
Value member_value(Context& ctx, const program::Node& node, const Value& object);
// "previous(表三)", "previous(other_form)": a table or param of the previous report, named as a rule reads it.
std::string previous_name(std::string_view id);
// The value of a table cell as a language value (recorded as used).
Value cell_value(Context& ctx, const BoundTable* bound, const TableSchema& schema, std::size_t row, std::size_t column);
// The cell of the report that `node` (r[c], 表二.行政事业性收费.本年收费金额) names, for
// what its language value does not carry (the unit its text writes); null when the
// document lacks it or `node` names no cell.
const BoundCell* named_bound_cell(Context& ctx, const program::Node& node);
// A figure as a number (recorded as used).
Value figure_number(Context& ctx, std::size_t index);
// Why a report kept by ReportHistory has no figures or lists to read.
std::string prose_dropped(const Context& ctx);
// previous(p) of the param node `param`: its value in the previous report (a
// condition, a number or a text); missing without that report.
Value previous_param(Context& ctx, const program::Node& param);
// Language value -> text for messages and bindings ("商业企业", "71.11").
std::string to_text(const Context& ctx, const Value& v);
// What a missing value lacked, for a not-assessable finding.
std::string describe_missing(const Missing& m);

}  // namespace gouji::eval
