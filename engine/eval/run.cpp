// Running a compiled rule set over one report: which packs and rules apply, the
// bindings of each rule, and one finding per failing or not assessable check.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <stdexcept>

#include "engine/eval/context.hpp"
#include "engine/eval/fast.hpp"
#include "engine/eval/suggest.hpp"
#include "gouji/rules.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

using eval::Value;

class RuleRunner {
public:
    RuleRunner(const ReportModel& model, const ReportModel* previous, const program::Program& program)
        : model_(model), program_(program), ctx_(model, program, previous) {}

    // Where the checks from here on count and put their findings: the report's
    // run, then each suggestion's try-out, on the same runner.
    void report_to(EvaluationStats& stats, std::vector<Finding>& findings) {
        stats_ = &stats;
        findings_ = &findings;
    }

    // The applies-to `condition` of a pack or a rule (`what` says which, with `id`).
    bool condition_holds(const std::optional<program::Node>& condition, std::uint32_t variable_count, std::size_t pack,
                         const char* what, const std::string& id) {
        if (!condition) return true;
        ctx_.pack = pack;
        ctx_.recording = false;
        ctx_.steps = 0;  // a work bound of its own, not what the last rule left over
        Value v = guarded([&] { return eval::evaluate_apart(ctx_, *condition, variable_count); }, program_.packs[pack].file,
                          condition->pos, what, id);
        return v.is<bool>() && v.as<bool>();
    }

    // Every check from here on reads the table cell `cell` as `value`: a
    // suggestion tried out. Findings then only say what failed (no message, no
    // measuring of the relation, whose probes would take the substitute away).
    //
    // The try-out runs on the runner of the report's own run, keeping what that
    // worked out once per report: the params (worked out with the cells as
    // written), the names resolved, the lists a pack filters out of the prose,
    // and every kept value that reads no cell. A kept value that reads a cell is
    // worked out again under a substitute (KeptNum, KeptVal, invariant_value).
    void read_as(const CellRef& cell, double value) {
        ctx_.substitute = ctx_.substitute_for(cell, value);
        probing_ = true;
    }

    // Whether `e`, a binding of a rule's CompiledRule::cells_keyed_by, is the row
    // or the column of the cell a try-out reads as another value: the checks of
    // the others read the same cells as before, and say the same. A row or column
    // of another table may index the tried one by its name (表四.行政复议[c] with c
    // of 表三): it is checked.
    bool holds_cell_tried(const eval::Value& e) const {
        const auto& tried = ctx_.substitute;
        if (!tried || !tried->schema) return true;
        if (const auto* r = std::get_if<eval::RowRef>(&e.v)) return r->bound != tried->bound || r->row == tried->row;
        if (const auto* c = std::get_if<eval::ColumnRef>(&e.v))
            return c->bound != tried->bound || c->column == tried->column;
        return true;
    }

    // Whether a check of `rule` can read the table cell `cell`: a try-out of a
    // value for it need not run again a rule that reads only other rows, or other
    // cells, by name (the narrative rules' 表三.本年新收.总计, T3-CARRIED-FROM-PREVIOUS's
    // 表三.上年结转[c]): its verdicts cannot change.
    bool may_read(const program::CompiledRule& rule, const CellRef& cell) {
        if (!rule.reads_cells_by_name_only) return true;
        // The tried cell's schema, as read_as() found it: not looked up again per rule and name.
        const TableSchema* schema = ctx_.substitute && ctx_.substitute->schema ? ctx_.substitute->schema
                                                                               : ctx_.table(cell.table).schema;
        if (!schema) return false;
        for (const auto& named : rule.named_cells)
            if (named.table == cell.table && ctx_.row_index(*schema, named.row_key) == cell.row_index &&
                (named.column_key.empty() || ctx_.column_index(*schema, named.column_key) == cell.column_index))
                return true;
        return false;
    }

    // Back to the cells as written.
    void read_as_written() {
        ctx_.substitute.reset();
        probing_ = false;
    }

    void run(const program::CompiledRule& rule, Severity severity, const std::string* severity_from = nullptr) {
        rule_ = &rule;
        severity_ = severity;
        severity_from_ = severity_from;
        ctx_.rule = &rule;
        ctx_.pack = rule.pack;
        ctx_.steps = 0;
        ctx_.vars.assign(rule.variable_count, Value{});
        ctx_.lets.assign(rule.lets.size(), std::nullopt);
        cell_verdicts_.clear();
        collections_.assign(rule.bindings.size(), std::nullopt);
        findings_before_rule_ = findings_->size();
        when_once_ = eval::fast::Truth::True;
        guarded([&] {
            if (rule.fast && rule.fast->when_once) {
                start_check(false);
                when_once_ = rule.fast->when_once->test(ctx_);
            }
            bind(0);
            return Value{};
        }, rule.file, rule.pos, "rule '", rule.id);
    }

private:
    // `what` and `id` name what is evaluated ("rule '" and its id), put together
    // only for the error: this runs for every rule and report.
    template <typename F>
    Value guarded(F f, const std::string& file, SourcePos pos, const char* what, const std::string& id) {
        // A rule's own error, or its applies-to's, names the rule for tools
        // (`rule_errors[].rule`); a pack's applies-to names no rule.
        auto about = [&](InputError e) {
            if (std::string_view(what).ends_with("rule '")) e.set_rule(id);
            return e;
        };
        try {
            return f();
        } catch (const eval::WorkLimitExceeded&) {
            throw about(InputError(file, pos,
                                   what + id + "' needs more than " + std::to_string(eval::max_steps_per_rule) +
                                       " evaluation steps for " + report_name(),
                                   for_reader_and_author("simplify its quantifiers or split it into several rules")));
        } catch (const eval::TooManyFindings&) {
            throw about(InputError(file, pos,
                                   what + id + "' gives more than " + std::to_string(eval::max_findings_per_rule) +
                                       " findings for " + report_name() + " (the first are kept)",
                                   for_reader_and_author("narrow its for or its when")));
        } catch (const eval::RegexGaveUp& e) {
            throw about(InputError(file, pos,
                                   what + id + "': the regular expression \"" + e.pattern + "\" " + e.reason +
                                       " on a text of " + report_name(),
                                   for_reader_and_author("simplify the pattern (nested repeats such as (a+)+ or (.*)* try "
                                                         "exponentially many ways)")));
        }
    }

    // A limit is met by a rule written badly or by a report far longer than any
    // the rule was written for: who reads the error may be a reviewer auditing a
    // report with the standard packs, who cannot edit them, or the rule's author.
    // The report's size says which is likelier: splitting an ordinary report
    // (a few dozen KB, a few hundred figures) would not help.
    std::string for_reader_and_author(const std::string& author_advice) const {
        const ReportSize size = report_size();
        if (size.text.empty())
            return "if the report is unusually long, check it split into parts; if you wrote the rule, " + author_advice;
        if (size.unusual)
            return "the report is long (" + size.text + "), far longer than most: check it split into parts; if you wrote "
                   "the rule, " + author_advice;
        return "the report is of an ordinary size (" + size.text + "): the rule is at fault, tell its author; if you wrote "
               "it, " + author_advice;
    }

    // "its text 3.0 MB, 24690 figures in its prose": how long the report is, and
    // whether that is far beyond a report's usual 10–300 KB of text and few hundred
    // figures (a merged volume, a page of data). Its text, not its file: a PDF's
    // fonts and images weigh nothing here. Only on an error.
    struct ReportSize {
        std::string text;
        bool unusual = false;
    };
    ReportSize report_size() const {
        constexpr double unusual_bytes = 2e6;
        constexpr std::size_t unusual_figures = 10000;
        // The sections' text, which every format and output has: the document's own
        // text is kept only for a line-based report whose lines are quoted.
        double bytes = 0;
        for (const auto& section : model_.sections) bytes += static_cast<double>(section.text.size());
        ReportSize size;
        if (bytes > 0)
            size.text = "its text " + (bytes >= 1e6   ? fmt::format("{:.1f} MB", bytes / 1e6)
                                       : bytes >= 1e3 ? fmt::format("{:.0f} KB", bytes / 1e3)
                                                      : fmt::format("{} bytes", bytes));
        size.unusual = bytes > unusual_bytes || model_.figures.size() > unusual_figures;
        if (!model_.figures.empty())
            size.text += (size.text.empty() ? "" : ", ") + std::to_string(model_.figures.size()) + " figures in its prose";
        return size;
    }

    // The report in an error about a rule: a batch names many.
    std::string report_name() const {
        return model_.document.path.empty() ? std::string("one report") : "report " + model_.document.path;
    }

    // Binds the k-th `for` of the rule to each element of its collection in turn;
    // the bound values are in ctx_.vars, their text is made only for a finding.
    void bind(std::size_t k) {
        if (k == rule_->bindings.size()) {
            check();
            return;
        }
        const auto& b = rule_->bindings[k];
        start_check(false);
        // A kept list is charged the steps it took, as if worked out again.
        std::optional<KeptList>& kept = collections_[k];
        const std::uint64_t steps = ctx_.steps;
        if (kept) ctx_.count_steps(kept->steps);
        Value coll = kept ? kept->list : collection(k);
        if (!kept && b.collection.invariant && coll.is<eval::List>()) kept = KeptList{coll, ctx_.steps - steps};
        if (!coll.is<eval::List>()) {
            start_check(true);  // again, recording what it read, for the finding
            coll = eval::evaluate(ctx_, b.collection);
            ++stats_->checks;
            bound_ = k;
            not_assessable(coll.missing() ? coll.as<eval::Missing>() : eval::Missing{{"'" + b.name + "' ranges over no list"}});
            return;
        }
        const eval::List& list = coll.as<eval::List>();
        if (k + 1 == rule_->bindings.size() && rule_->fast && rule_->fast->one_cell && !eval::fast::verifying())
            return bind_last_by_cell(b, list);
        const bool keyed = probing_ && rule_->cells_keyed_by == k;
        for (const auto& e : *list) {
            if (keyed && !holds_cell_tried(e)) continue;
            ctx_.vars[b.slot] = e;
            forget_lets_below(k);
            bind(k + 1);
        }
    }

    // The k-th `for`'s collection, silently: by its plan when it has one, which gives
    // the general evaluator's value (a disagreement throws while verifying).
    Value collection(std::size_t k) {
        const program::Node& node = rule_->bindings[k].collection;
        const eval::fast::ValuePlan* plan =
            rule_->fast && k < rule_->fast->collections.size() ? rule_->fast->collections[k].get() : nullptr;
        if (!plan) return eval::evaluate(ctx_, node);
        Value v = plan->value(ctx_);
        if (eval::fast::verifying()) {
            Value general = eval::evaluate(ctx_, node);
            if (general.missing() != v.missing() || eval::to_text(ctx_, general) != eval::to_text(ctx_, v))
                throw std::logic_error("rule '" + rule_->id + "': the plan of its for '" + rule_->bindings[k].name +
                                       "' gives " + eval::to_text(ctx_, v) + ", the general evaluator " +
                                       eval::to_text(ctx_, general));
        }
        return v;
    }

    // Forgets the lets that read the `for` binding `k` or one after it (the
    // binding k has a new value): the others hold for the checks to come.
    void forget_lets_below(std::size_t k) {
        // A rule made otherwise than by RuleCompiler has no levels: all are forgotten.
        if (rule_->lets_deepest_first.size() != ctx_.lets.size()) return ctx_.forget_lets();
        for (std::uint32_t i : rule_->lets_deepest_first) {
            if (rule_->let_levels[i] <= k) break;
            ctx_.lets[i].reset();
        }
    }

    // "c=商业企业, r=予以公开" for the bindings made so far.
    std::string binding_text() const {
        std::string text;
        for (std::size_t k = 0; k < bound_; ++k) {
            const auto& b = rule_->bindings[k];
            text.append(text.empty() ? "" : ", ").append(b.name).append("=").append(
                shortened(eval::to_text(ctx_, ctx_.vars[b.slot]), max_placeholder_chars));
        }
        return text;
    }

    // Which values the bindings made so far hold, told apart where their texts
    // are alike (two figures "8件": figure 3, figure 5); for this evaluation only.
    std::string bound_values() const {
        std::string out;
        for (std::size_t k = 0; k < bound_; ++k) {
            const Value& v = ctx_.vars[rule_->bindings[k].slot];
            std::string one;
            if (const auto* f = std::get_if<eval::FigureRef>(&v.v)) one = "figure " + std::to_string(f->index);
            else if (const auto* l = std::get_if<eval::FigureListRef>(&v.v)) one = "list " + std::to_string(l->index);
            else if (const auto* p = std::get_if<eval::PartRef>(&v.v))
                one = "part " + std::to_string(p->list) + "." + std::to_string(p->part);
            else if (const auto* s = std::get_if<eval::SectionRef>(&v.v))
                one = "section " + std::to_string(s->section->first_line) + ":" + s->section->title;
            else if (const auto* r = std::get_if<eval::RowRef>(&v.v))
                one = "row " + std::to_string(r->row) + " of " + (r->schema ? r->schema->id : std::string());
            else if (const auto* c = std::get_if<eval::ColumnRef>(&v.v))
                one = "column " + std::to_string(c->column) + " of " + (c->schema ? c->schema->id : std::string());
            else one = eval::to_text(ctx_, v);
            out.append(out.empty() ? "" : ", ").append(one);
        }
        return out;
    }

    // A silent check reads the lets kept from the checks before it, forgotten
    // when a binding they read moves (forget_lets_below): a let is a value of
    // the bindings it reads. A recording one works them out again, to record
    // the cells they read.
    void start_check(bool record) {
        ctx_.cells.clear();
        ctx_.recording = record;
        if (record) ctx_.forget_lets();  // sized once per rule (run())
    }

    enum class Verdict { Skipped, Passed, Failed, NotAssessable };
    struct Attempt {
        Verdict verdict;
        eval::Missing missing;  // what was missing, for NotAssessable
    };

    // One evaluation of the rule's `when` and `check` for the current bindings.
    Attempt attempt(bool record) {
        start_check(record);
        if (record) ctx_.cells.reserve(32);  // a finding takes the last check's cells along
        if (rule_->when) {
            Value w = eval::evaluate(ctx_, *rule_->when);
            if (w.missing()) return {Verdict::NotAssessable, w.as<eval::Missing>()};
            if (w.is<bool>() && !w.as<bool>()) return {Verdict::Skipped, {}};
        }
        Value v = eval::evaluate(ctx_, rule_->check);
        if (v.missing()) return {Verdict::NotAssessable, v.as<eval::Missing>()};
        if (!v.is<bool>()) return {Verdict::NotAssessable, eval::Missing{{"the check did not give a condition"}}};
        return {v.as<bool>() ? Verdict::Passed : Verdict::Failed, {}};
    }

    // The number of the one cell a plan reads the bindings through
    // (Plan::one_cell), all its verdict depends on: as written_number() makes it.
    struct CellKey {
        std::uint64_t number_bits = 0;  // the double's bits: -0 and 0 may differ (1 / x)
        std::int32_t decimals = 0;
        bool percent = false;
        bool operator==(const CellKey&) const = default;
    };

    // The key of the cell row[column], as the check reads it (a suggestion's probe
    // reads one cell as another number); none when the cell has no plain number
    // (missing and approximate values are rare, and their texts are more than a number).
    std::optional<CellKey> cell_key(const eval::fast::Plan::OneCell& one, const Value& row, const Value& column) const {
        const auto* r = std::get_if<eval::RowRef>(&row.v);
        const auto* c = std::get_if<eval::ColumnRef>(&column.v);
        if (!r || !c || r->schema != c->schema) return std::nullopt;
        const BoundCell* cell = eval::bound_cell(r->bound, r->row, c->column);
        if (!cell || !cell->value.has_number() || cell->value.approximate) return std::nullopt;
        if (!one.number_read) return CellKey{};
        const auto& v = cell->value;
        const auto& probe = ctx_.substitute;
        const double number = probe && probe->is(r->bound, *r->schema, r->row, c->column) ? probe->number : v.number;
        return CellKey{std::bit_cast<std::uint64_t>(number), v.decimals, v.unit.size() == 1 && v.unit[0] == '%'};
    }

    // The verdicts a one-cell plan gave the rule being run, by the cell's number,
    // with the work (steps) each took: a check decided again from here is charged
    // the same, so the work bound counts every check as before. A small
    // open-addressed table, emptied per rule by a new generation rather than by
    // clearing its slots. A report's tables hold a few dozen distinct numbers;
    // past `capacity` the others are worked out each time.
    class CellVerdicts {
    public:
        struct Known {
            Verdict verdict;
            std::uint32_t steps;  // below max_steps_per_rule
        };
        static_assert(eval::max_steps_per_rule < UINT32_MAX);
        void clear() {
            ++generation_;
            size_ = 0;
        }
        std::optional<Known> find(const CellKey& key) const {
            for (std::size_t i = home(key);; i = (i + 1) % slots_.size()) {
                const Slot& s = slots_[i];
                if (s.generation != generation_) return std::nullopt;
                if (s.key == key) return s.known;
            }
        }
        void add(const CellKey& key, Known known) {
            if (size_ == capacity) return;
            std::size_t i = home(key);
            while (slots_[i].generation == generation_) i = (i + 1) % slots_.size();
            slots_[i] = {key, known, generation_};
            ++size_;
        }

    private:
        static constexpr std::size_t capacity = 96;  // of 128 slots: probes stay short
        static std::size_t home(const CellKey& key) {
            const std::uint64_t h = (key.number_bits ^ static_cast<std::uint64_t>(key.decimals) << 1 ^ key.percent) *
                                    0x9E3779B97F4A7C15ull;
            return static_cast<std::size_t>(h >> 57);
        }
        struct Slot {
            CellKey key;
            Known known{Verdict::Passed, 0};
            std::uint32_t generation = 0;
        };
        std::array<Slot, 128> slots_{};
        std::uint32_t generation_ = 1;
        std::size_t size_ = 0;
    };

    // The verdict the plan gave a cell of this number before, charged to the
    // work bound the steps it took then.
    std::optional<Verdict> known_verdict(const std::optional<CellKey>& key) {
        if (!key) return std::nullopt;
        auto known = cell_verdicts_.find(*key);
        if (!known) return std::nullopt;
        ctx_.count_steps(known->steps);
        return known->verdict;
    }

    // The rule's plan's verdict for the current bindings, when it decides
    // (engine/eval/fast.hpp): Passed or Skipped, the only ones it is trusted with.
    std::optional<Verdict> planned_verdict() {
        const eval::fast::Plan* plan = rule_->fast.get();
        if (!plan) return std::nullopt;
        std::optional<CellKey> key;
        if (plan->one_cell) {
            key = cell_key(*plan->one_cell, ctx_.vars[plan->one_cell->row_slot], ctx_.vars[plan->one_cell->column_slot]);
            if (auto known = known_verdict(key)) return known;
        }
        const std::uint64_t steps = ctx_.steps;
        std::optional<Verdict> verdict = plan_verdict(*plan);
        if (verdict && key) cell_verdicts_.add(*key, {*verdict, static_cast<std::uint32_t>(ctx_.steps - steps)});
        return verdict;
    }

    // The checks of the last `for` binding, `list`, of a rule whose plan reads
    // the bindings as one cell: those whose cell's number has a known verdict are
    // counted without binding their variable. Not while verifying, where each
    // check goes through check() to be compared with the general evaluator.
    void bind_last_by_cell(const program::Binding& b, const eval::List& list) {
        const auto& cell = *rule_->fast->one_cell;
        const bool row = b.slot == cell.row_slot;  // else the last `for` binds the column
        const bool keyed = probing_ && rule_->cells_keyed_by == rule_->bindings.size() - 1;
        for (const auto& e : *list) {
            if (keyed && !holds_cell_tried(e)) continue;
            if (auto known = known_verdict(cell_key(cell, row ? e : ctx_.vars[cell.row_slot], row ? ctx_.vars[cell.column_slot] : e))) {
                ++stats_->checks;
                ++stats_->planned;
                ++(*known == Verdict::Skipped ? stats_->skipped_by_when : stats_->passed);
                continue;
            }
            ctx_.vars[b.slot] = e;
            forget_lets_below(rule_->bindings.size() - 1);
            check();
        }
    }

    std::optional<Verdict> plan_verdict(const eval::fast::Plan& plan) {
        start_check(false);
        // Undecided, the check is charged to the work bound for its full
        // evaluations only, as before plans (a runaway plan still throws).
        const std::uint64_t steps = ctx_.steps;
        using eval::fast::Truth;
        if (when_once_ == Truth::False) return Verdict::Skipped;
        if (when_once_ == Truth::Unsure) return std::nullopt;  // the general evaluator's, check by check
        Truth when = plan.when ? plan.when->test(ctx_) : Truth::True;
        if (when == Truth::False) return Verdict::Skipped;
        if (when == Truth::True && plan.check->test(ctx_) == Truth::True) return Verdict::Passed;
        ctx_.steps = steps;
        return std::nullopt;
    }

    static const char* verdict_name(Verdict v) {
        switch (v) {
            case Verdict::Skipped: return "skipped by its when";
            case Verdict::Passed: return "passed";
            case Verdict::Failed: return "failed";
            case Verdict::NotAssessable: return "not assessable";
        }
        return "?";
    }

    void check() {
        bound_ = rule_->bindings.size();
        ++stats_->checks;
        if (auto planned = planned_verdict()) {
            if (eval::fast::verifying()) {
                // Not charged to the work bound: tests must meet it as users do.
                eval::ScopedValue<std::uint64_t> steps(ctx_.steps, ctx_.steps);
                Verdict general = attempt(false).verdict;
                if (general != *planned)
                    throw std::logic_error("rule " + rule_->id + " [" + binding_text() + "]: its plan says " +
                                           verdict_name(*planned) + ", the general evaluator " + verdict_name(general));
            }
            if (*planned == Verdict::Skipped) ++stats_->skipped_by_when;
            else ++stats_->passed;
            ++stats_->planned;
            return;
        }
        // Nearly every check passes. Without a plan, the first evaluation records
        // nothing (the cells read and the texts of missing values are most of the
        // work); only a check that gives a finding is evaluated again, recording, to
        // explain it. A plan that could not decide almost always means a finding, so
        // that check is evaluated once, recording.
        const bool expect_finding = rule_->fast != nullptr;
        Attempt a = attempt(expect_finding);
        if (!expect_finding && (a.verdict == Verdict::Failed || a.verdict == Verdict::NotAssessable)) a = attempt(true);
        switch (a.verdict) {
            case Verdict::Skipped: ++stats_->skipped_by_when; return;
            case Verdict::Passed: ++stats_->passed; return;
            case Verdict::NotAssessable: return not_assessable(a.missing);
            case Verdict::Failed: break;
        }
        ++stats_->failed;
        Finding f = finding(true);
        f.severity = severity_;
        if (probing_) return findings_->push_back(std::move(f));
        // Before the relation is measured, which forgets the lets: the message
        // reads them as the check left them instead of working them out again.
        f.message = render_message();
        relocate_to_quoted_match(f);
        // How the relation moves with each cell, for suggestions (engine/eval/suggest.cpp).
        if (rule_->kind == RuleKind::Sum) eval::measure_relation(ctx_, rule_->check, rule_->fast.get(), f);  // forgets the lets
        findings_->push_back(std::move(f));
    }

    // A pattern that matched in several places (find_all over a section's text)
    // locates a finding at its first match; when the message quotes another whole
    // match, the claim is there: of "2020年未收到政府信息公开申请，…今年仍未收到政府
    // 信息公开申请", a rule that keeps this year's none is about the second. The
    // longest match quoted wins ("2021年无…申请" over a "无…申请" inside it). Whole
    // matches, not the groups they captured ("1" of "申请1件" is in any "17"):
    // CellRef::path holds each, shortened past a length with "…".
    void relocate_to_quoted_match(Finding& f) const {
        const CellRef* quoted = nullptr;
        std::size_t quoted_size = 0;
        bool at_a_match = false;
        for (const auto& c : f.cells) {
            if (!c.path.starts_with(eval::captured_path_prefix) || !c.pos.known() || c.from_previous_report()) continue;
            at_a_match = at_a_match || c.pos == f.location.pos;
            std::string_view whole = std::string_view(c.path).substr(eval::captured_path_prefix.size());
            if (whole.ends_with("…")) whole.remove_suffix(std::string_view("…").size());
            if (!whole.empty() && whole.size() > quoted_size && f.message.find(whole) != std::string::npos) {
                quoted = &c;
                quoted_size = whole.size();
            }
        }
        if (!at_a_match || !quoted) return;
        // A match of another section's text (a second find_all) is in that section.
        f.location.pos = quoted->pos;
        f.location.section = section_at(quoted->pos.line);
    }

    void not_assessable(const eval::Missing& m) {
        ++stats_->not_assessable;
        Finding f = finding(false);
        f.severity = Severity::Info;
        f.severity_from.clear();  // info, whatever an override made the rule
        f.assessable = false;
        // What is missing may quote the report ("'<a section's text>' is not a number").
        f.message = shortened("not assessable: " + eval::describe_missing(m), max_message_chars);
        findings_->push_back(std::move(f));
    }

    Finding finding(bool assessable) {
        if (findings_->size() - findings_before_rule_ >= eval::max_findings_per_rule) throw eval::TooManyFindings{};
        Finding f;
        f.rule = rule_->id;
        f.kind = rule_->kind;
        f.basis = rule_->basis;
        f.title = rule_->title;
        f.tags = rule_->tags;
        f.pack = program_.packs[rule_->pack].id;
        if (severity_from_) f.severity_from = *severity_from_;
        f.binding = binding_text();
        f.bound_values = bound_values();
        f.location = location(assessable);
        f.cells = std::move(ctx_.cells);  // the next check starts with none
        ctx_.cells.clear();
        return f;
    }

    std::string section_at(std::uint32_t line) const {
        for (const auto& s : model_.sections)
            if (line >= s.first_line && line <= s.last_line) return s.canonical.empty() ? s.title : s.canonical;
        return {};
    }

    // Where a finding points. A failed check: at the first value the rule read
    // that has a place in the report, its `when` first, i.e. the left side of the
    // relation as the rule states it, which for a prose figure compared with a
    // table is the sentence that makes the claim. A check that could not be
    // assessed: at the first value read that has no number (a blank cell, an
    // approximate figure), else at the first table cell read. Either way, with no
    // position anywhere (a table missing from the document), the first table cell
    // still names the table.
    static bool lacks_number(const CellRef& c) { return c.numeric && (!c.value.has_number() || c.value.rough()); }

    FindingLocation location(bool assessable) const {
        FindingLocation loc;
        loc.file = model_.document.path;
        auto first_where = [this](auto wanted) -> const CellRef* {
            for (const auto& c : ctx_.cells)
                if (wanted(c)) return &c;
            return nullptr;
        };
        // A value of the previous year's report is never where the finding is.
        auto placed = [](const CellRef& c) { return c.pos.known() && !c.from_previous_report(); };
        auto in_table = [](const CellRef& c) { return !c.table.empty() && !c.from_previous_report(); };
        const CellRef* first = nullptr;
        if (assessable) {
            first = first_where(placed);
            // A section whose text a pattern read: the words it captured are where the claim is.
            if (first && first->path.starts_with("section "))
                if (const CellRef* captured = first_where([&](const CellRef& c) {
                        return placed(c) && c.path.starts_with(eval::captured_path_prefix);
                    }))
                    first = captured;
            if (!first) first = first_where(in_table);
        } else {
            // The value that is missing is what the reader must find; failing that
            // (a missing name, a list with no element), the table the check read.
            first = first_where([&](const CellRef& c) { return lacks_number(c) && (in_table(c) || placed(c)); });
            if (!first) first = first_where(in_table);
            if (!first) first = first_where(placed);
        }
        if (!first) return bound_location(loc);
        loc.pos = first->pos;
        // A cell the document lacks has no place of its own: its table's is the nearest.
        if (!loc.pos.known() && !first->table.empty())
            if (const BoundTable* bound = ctx_.table(first->table).bound; bound && bound->found) loc.pos = bound->pos;
        loc.table = first->table;
        loc.row = first->row;
        loc.column = first->column;
        if (!first->table.empty()) {
            eval::TableRef t = ctx_.table(first->table);
            if (t.schema) loc.section = t.schema->section;
        }
        if (loc.section.empty() && first->pos.known()) loc.section = section_at(first->pos.line);
        return loc;
    }

    // A finding that read no value with a place of its own is at what its `for`
    // binds, the innermost binding with a place first: the section (SEC-EMPTY reads
    // a section's text and number, and its heading is where the reader looks), the
    // figure or list (a check of `f.unit` alone), the row of a table.
    FindingLocation bound_location(FindingLocation loc) const {
        const ReportModel& m = ctx_.model;
        for (std::size_t k = bound_; k-- > 0;) {
            const Value& v = ctx_.vars[rule_->bindings[k].slot];
            SourcePos pos;
            if (const auto* s = std::get_if<eval::SectionRef>(&v.v); s && s->section && s->section->pos.known()) {
                loc.pos = s->section->pos;
                loc.section = s->section->canonical.empty() ? s->section->title : s->section->canonical;
                return loc;
            } else if (const auto* f = std::get_if<eval::FigureRef>(&v.v); f && f->index < m.figures.size()) {
                pos = m.figures[f->index].pos;
            } else if (const auto* l = std::get_if<eval::FigureListRef>(&v.v); l && l->index < m.lists.size()) {
                pos = m.lists[l->index].pos;
            } else if (const auto* p = std::get_if<eval::PartRef>(&v.v); p && p->list < m.lists.size() &&
                                                                          p->part < m.lists[p->list].parts.size()) {
                const std::size_t count = m.lists[p->list].parts[p->part].count;
                if (count < m.figures.size()) pos = m.figures[count].pos;
            } else if (const auto* r = std::get_if<eval::RowRef>(&v.v);
                       r && r->bound && !ctx_.from_previous(r->bound) && r->row < r->bound->cells.size()) {
                for (const auto& cell : r->bound->cells[r->row])
                    if (cell && cell->pos.known()) {
                        pos = cell->pos;
                        break;
                    }
                if (pos.known() && r->schema) loc.section = r->schema->section;
            }
            if (!pos.known()) continue;
            loc.pos = pos;
            if (loc.section.empty()) loc.section = section_at(pos.line);
            return loc;
        }
        return loc;
    }

    std::string render_message() {
        ctx_.recording = false;
        if (rule_->message.empty()) {
            std::string out = (rule_->title.empty() ? rule_->id : rule_->title) + ": " + rule_->check_text + " does not hold";
            // A comparison says what it compared, as a written message would. Its
            // sides are worked out again, with a work bound of their own: the check
            // that just failed stayed within one, and the lets it kept make most
            // of them cheap.
            eval::ScopedValue<std::uint64_t> steps(ctx_.steps, 0);
            using ast::BinaryOp;
            const auto& check = rule_->check;
            if (check.op == program::Op::Binary && check.kids.size() == 2 &&
                (check.binary == BinaryOp::Eq || check.binary == BinaryOp::Ne || check.binary == BinaryOp::Approx ||
                 check.binary == BinaryOp::Lt || check.binary == BinaryOp::Le || check.binary == BinaryOp::Gt ||
                 check.binary == BinaryOp::Ge))
                out += ": " + format_piece(eval::evaluate(ctx_, check.kids[0]), "") + " against " +
                       format_piece(eval::evaluate(ctx_, check.kids[1]), "");
            return shortened(out, max_message_chars);
        }
        std::string out;
        out.reserve(256);  // a message of a few sentences, without growing it piece by piece
        for (const auto& piece : rule_->message) {
            if (!piece.expr) {
                out += piece.text;
                continue;
            }
            Value v = eval::evaluate(ctx_, *piece.expr);
            out += format_piece(v, piece.spec);
            if (out.size() > 4 * max_message_chars) break;  // cut below; the rest would not show
        }
        return out.size() > max_message_chars ? shortened(out, max_message_chars) : out;
    }

    // The fill, alignment and width of a format spec ("*>8" of "*>8.1f"): what a
    // missing value, which has no digits to format, still takes of it, so that a
    // column of numbers in a message stays a column.
    static std::string layout_of(const std::string& spec) {
        std::size_t at = 0;
        const std::size_t align = spec.find_first_of("<>^");
        // The fill is one character (maybe a CJK one) before the alignment.
        if (align != std::string::npos && align <= 4 && (align == 0 || char_count(spec.substr(0, align)) == 1)) at = align + 1;
        std::string out = spec.substr(0, at);
        while (at < spec.size() && (spec[at] == '+' || spec[at] == '-' || spec[at] == ' ' || spec[at] == '#')) ++at;
        if (at < spec.size() && spec[at] == '0') ++at;
        const std::size_t width_start = at;
        while (at < spec.size() && spec[at] >= '0' && spec[at] <= '9') ++at;
        if (at == width_start) return {};
        return out + spec.substr(width_start, at - width_start);
    }

    // A value's text in a message, cut to max_placeholder_chars (a section's text
    // may be a page) before a format spec's width pads it.
    std::string text_of(const Value& v) { return shortened(eval::to_text(ctx_, v), max_placeholder_chars); }

    std::string format_piece(const Value& raw, const std::string& spec) {
        Value v = raw.is<eval::FigureRef>() ? eval::figure_number(ctx_, raw.as<eval::FigureRef>().index) : raw;
        if (spec.empty()) return text_of(v);
        if (v.missing()) {
            const std::string text = text_of(raw), layout = layout_of(spec);
            if (layout.empty()) return text;
            try {
                return fmt::format(fmt::runtime("{:" + layout + "}"), text);
            } catch (const fmt::format_error&) {
                return text;
            }
        }
        try {
            // A width alone ("{x:>10}") lays out the number as the message writes it
            // without a spec (its written decimals, a share to two), not a double's
            // seventeen digits: only a precision, a type or a sign asks for fmt's.
            if (v.is<eval::Number>() && layout_of(spec) != spec)
                return fmt::format(fmt::runtime("{:" + spec + "}"), v.as<eval::Number>().value);
            // A number laid out as text keeps fmt's alignment of numbers, to the right.
            const bool aligned = spec.find_first_of("<>^") != std::string::npos;
            return fmt::format(fmt::runtime("{:" + std::string(v.is<eval::Number>() && !aligned ? ">" : "") + spec + "}"),
                               text_of(v));
        } catch (const fmt::format_error&) {
            return text_of(v);
        }
    }

    const ReportModel& model_;
    const program::Program& program_;
    eval::Context ctx_;
    EvaluationStats* stats_ = nullptr;
    // The truth of the rule's plan's when_once in this run (fast::Plan).
    eval::fast::Truth when_once_ = eval::fast::Truth::True;
    std::vector<Finding>* findings_ = nullptr;
    const program::CompiledRule* rule_ = nullptr;
    Severity severity_ = Severity::Error;
    const std::string* severity_from_ = nullptr;  // the overriding pack's id, if one set severity_
    std::size_t bound_ = 0;  // how many of the rule's `for` bindings hold a value
    struct KeptList {
        Value list;
        std::uint64_t steps;  // what working it out cost
    };
    std::vector<std::optional<KeptList>> collections_;  // a `for`'s list, kept when it is the same for every binding before it
    CellVerdicts cell_verdicts_;  // the current rule's, by cell number (Plan::one_cell)
    bool probing_ = false;        // read_as()
    std::size_t findings_before_rule_ = 0;
};

// A rule that names 表三 is about reports whose template has a 表三.
bool has_tables(const ReportModel& model, const program::CompiledRule& rule) {
    if (rule.tables.empty()) return true;
    if (!model.template_schema) return false;
    for (const auto& id : rule.tables) {
        bool found = false;
        for (const auto& t : model.template_schema->tables) found = found || t.id == id;
        if (!found) return false;
    }
    return true;
}

// A rule does not check the reports of a template it was compiled to set aside
// (program::CompiledRule::set_aside: a new form lacking a row the rule names).
bool set_aside_for(const ReportModel& model, const program::CompiledRule& rule) {
    if (rule.set_aside.empty() || !model.template_schema) return false;
    return std::any_of(rule.set_aside.begin(), rule.set_aside.end(),
                       [&](const program::SetAside& a) { return a.template_id == model.template_schema->id; });
}

// A suggestion tried out: every check reads the table cell `cell` as `value`.
struct Probe {
    const CellRef* cell;
    double value;
};

// The rules run over one report: first as written (run), then once per
// suggestion tried out (try_out). What applies to the report (packs and rules
// by their applies-to) and what the runner keeps per report are worked out in
// the first run and kept for the try-outs.
class ReportRun {
public:
    ReportRun(const program::Program& program, const ReportModel& model, const ReportModel* previous)
        : program_(program), model_(model), runner_(model, previous, program), stopped_(program.rules.size()) {}

    // Every rule that applies to the report, its findings and errors into `out`,
    // marking those that could not finish.
    void run(EvaluationStats& st, Evaluation& out) {
        runner_.report_to(st, out.findings);
        applies_.assign(program_.packs.size(), false);
        for (std::size_t i = 0; i < program_.packs.size(); ++i) {
            const auto& pack = program_.packs[i];
            applies_[i] = holds(out, [&] {
                return runner_.condition_holds(pack.applies_to, pack.applies_variable_count, i, "applies-to of pack '",
                                               pack.id);
            });
        }
        run_rules(st, out, nullptr);
    }

    // run() again with the cell `probe` names read as its value: only the rules
    // that name the probed cell's table and that finished in run().
    void try_out(const Probe& probe, EvaluationStats& st, Evaluation& out) {
        runner_.report_to(st, out.findings);
        runner_.read_as(*probe.cell, probe.value);
        run_rules(st, out, &probe);
        runner_.read_as_written();
    }

private:
    // `f`'s truth, false when it throws (recorded). One rule that cannot finish
    // (its work bound, a regex ICU gives up on) is an error of its own: the other
    // rules still audit the report.
    template <typename F>
    static bool holds(Evaluation& out, F&& f) {
        try {
            return f();
        } catch (const InputError& e) {
            out.rule_errors.push_back(e);
            return false;
        }
    }

    // A rule's applies-to, by its pack and text: two dozen rules of a pack write
    // the same one ("template in gov_templates"), worked out once per report.
    bool rule_applies(const program::CompiledRule& rule, Evaluation& out) {
        if (auto known = answered(rule)) return *known;
        const std::size_t errors = out.rule_errors.size();
        const bool h = holds(out, [&] {
            return runner_.condition_holds(rule.applies_to, rule.applies_variable_count, rule.pack,
                                           "applies-to of rule '", rule.id);
        });
        // One that could not finish is each rule's error, not an answer.
        if (out.rule_errors.size() == errors) answers_.push_back({rule.pack, &rule.applies_to_text, h});
        return h;
    }

    // rule_applies() as answered before; none when it was not (or could not be).
    std::optional<bool> answered(const program::CompiledRule& rule) const {
        if (!rule.applies_to) return true;
        for (const auto& a : answers_)
            if (a.pack == rule.pack && *a.text == rule.applies_to_text) return a.holds;
        return std::nullopt;
    }

    void run_rules(EvaluationStats& st, Evaluation& out, const Probe* probe) {
        for (std::size_t index = 0; index < program_.rules.size(); ++index) {
            const auto& rule = program_.rules[index];
            if (!applies_[rule.pack] || !has_tables(model_, rule) || set_aside_for(model_, rule)) continue;
            // A rule stopped in run(), or whose applies-to could not be decided there,
            // is not tried out: it gave no finding a try-out could compare with.
            if (probe && stopped_[index]) continue;
            if (probe ? !answered(rule).value_or(false) : !rule_applies(rule, out)) continue;
            // A suggested value is a whole number ≥ 0 where the cell's is (`writable`):
            // the format and required rules cannot fail on it.
            if (probe && (rule.kind == RuleKind::Format || rule.kind == RuleKind::Required ||
                          std::find(rule.tables.begin(), rule.tables.end(), probe->cell->table) == rule.tables.end() ||
                          !runner_.may_read(rule, *probe->cell)))
                continue;
            Severity severity = rule.severity;
            const std::string* severity_from = nullptr;
            bool disabled = false;
            for (const auto& o : rule.overrides) {
                if (!applies_[o.pack]) continue;
                if (o.severity) {
                    severity = *o.severity;
                    severity_from = &program_.packs[o.pack].id;
                }
                disabled = disabled || o.disabled;
            }
            if (disabled) continue;
            ++st.rules_run;
            const bool finished = holds(out, [&] {
                runner_.run(rule, severity, severity_from);
                return true;
            });
            if (!probe) stopped_[index] = !finished;
        }
    }

    struct Answer {
        std::size_t pack;
        const std::string* text;
        bool holds;
    };

    const program::Program& program_;
    const ReportModel& model_;
    RuleRunner runner_;
    std::vector<bool> applies_;   // per pack
    std::vector<Answer> answers_;
    std::vector<bool> stopped_;   // per rule of the program: could not finish in run()
};

// Two findings of one rule whose bindings read alike (two figures "26个" in one
// report) are told apart by where each is, "f=26个@51:219": a finding is
// identified within its report by its rule and binding (docs/findings.md).
void tell_apart(std::vector<Finding>& findings) {
    // The findings among `among` whose rule and binding another of them has, in
    // finding order. (Sorted by reference, not counted in a map of copies: a
    // binding may quote a whole list.)
    auto alike_in = [&findings](const std::vector<std::size_t>& among) {
        auto key = [&findings](std::size_t i) { return std::tie(findings[i].rule, findings[i].binding); };
        std::vector<std::size_t> sorted = among;
        std::stable_sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
        std::vector<std::size_t> alike;
        for (std::size_t k = 0; k < sorted.size(); ++k)
            if ((k > 0 && key(sorted[k - 1]) == key(sorted[k])) || (k + 1 < sorted.size() && key(sorted[k + 1]) == key(sorted[k])))
                alike.push_back(sorted[k]);
        std::sort(alike.begin(), alike.end());
        return alike;
    };
    std::vector<std::size_t> bound;
    for (std::size_t i = 0; i < findings.size(); ++i)
        if (!findings[i].binding.empty()) bound.push_back(i);
    for (std::size_t i : alike_in(bound)) {
        const SourcePos& at = findings[i].location.pos;
        if (!at.known()) continue;
        findings[i].binding += "@" + (at.page ? "page " + std::to_string(at.page) + ":" : std::string()) + std::to_string(at.line) +
                               ":" + std::to_string(at.column);
    }
    // Alike still (the same place: a `when` read first locates them all, or none has
    // one): numbered in finding order, "#2", "#3".
    std::map<std::pair<std::string, std::string>, std::size_t> numbered;
    for (std::size_t i : alike_in(bound)) {
        const std::size_t n = ++numbered[{findings[i].rule, findings[i].binding}];
        if (n > 1) findings[i].binding += "#" + std::to_string(n);
    }
}

}  // namespace

Evaluation evaluate_each_rule(const RuleSet& rules, const ReportModel& model, EvaluationStats* stats,
                              const ReportModel* previous) {
    const program::Program& program = rules.program();
    EvaluationStats local;
    Evaluation out;
    ReportRun report_run(program, model, previous);
    report_run.run(stats ? *stats : local, out);
    // A suggested value must mend what it fixes without breaking what holds: the
    // report is checked again with the cell read so (the rules of its table), and
    // any check that fails then and did not before rules the suggestion out.
    // Two cells wrong together (总计 × 自然人 and 总计 × 总计 both ten too many)
    // may look like one: mending 总计 × 总计 alone makes row （七） fail.
    // A finding of a `for` is compared by the values its bindings hold: bindings
    // that read alike ("8件" twice) share a label, and a try-out that mends the
    // check of one of them and fails the other breaks something.
    auto compared_as = [](const Finding& f) { return finding_label(f) + "|" + f.bound_values; };
    std::set<std::string> failing;
    for (const auto& f : out.findings)
        if (f.assessable) failing.insert(compared_as(f));
    // Each probe costs about a check of the table's rules: a report of very many
    // failing sums gets suggestions for its first few cells only.
    constexpr int max_probes = 8;
    int probes = 0;
    auto breaks_nothing = [&](const CellRef& cell, double value) {
        if (++probes > max_probes) return false;
        EvaluationStats unused;
        Evaluation probed;
        const Probe probe{&cell, value};
        report_run.try_out(probe, unused, probed);
        return std::all_of(probed.findings.begin(), probed.findings.end(),
                           [&](const Finding& f) { return !f.assessable || failing.count(compared_as(f)) > 0; });
    };
    tell_apart(out.findings);
    attach_suggestions(out.findings, breaks_nothing);
    return out;
}

std::vector<Finding> evaluate(const RuleSet& rules, const ReportModel& model, EvaluationStats* stats,
                              const ReportModel* previous) {
    Evaluation e = evaluate_each_rule(rules, model, stats, previous);
    if (!e.rule_errors.empty()) throw e.rule_errors.front();
    return std::move(e.findings);
}

}  // namespace gouji
