// compile_rule_packs: load the packs and what they extend, order them bases
// first, compile params, applies-to and rules (each against the templates its
// applies-to admits), then apply replacements and overrides.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/eval/builtins.hpp"
#include "engine/eval/context.hpp"
#include "engine/eval/fast.hpp"
#include "grammar/parser.hpp"
#include "gouji/rules.hpp"
#include "rules/expression_compiler.hpp"
#include "rules/names.hpp"
#include "rules/pack_loader.hpp"

namespace gouji {

RuleSet::RuleSet() : program_(std::make_shared<const program::Program>()) {}
RuleSet::RuleSet(std::shared_ptr<const program::Program> program) : program_(std::move(program)) {}

bool RuleSet::empty() const { return program_->rules.empty(); }

std::vector<RuleInfo> RuleSet::rules() const {
    std::vector<RuleInfo> out;
    for (const auto& r : program_->rules)
        out.push_back(RuleInfo{r.id, r.title, program_->packs[r.pack].id, r.basis, r.severity, r.kind, r.tags, r.file, r.pos});
    return out;
}

std::vector<PackInfo> RuleSet::packs() const {
    std::vector<PackInfo> out;
    for (const auto& p : program_->packs) out.push_back(PackInfo{p.id, p.title, p.version, p.file, p.extends});
    return out;
}

namespace {

namespace fs = std::filesystem;
using namespace rules;
using types::Kind;
using types::Type;

struct LoadedPack {
    PackDecl decl;
    std::string path;               // normalized path on disk ("" for a text pack)
    std::vector<std::size_t> bases; // packs it extends directly
};

std::optional<Severity> parse_severity(const std::string& s) {
    if (s == "error") return Severity::Error;
    if (s == "warning") return Severity::Warning;
    if (s == "info") return Severity::Info;
    return std::nullopt;
}

std::optional<RuleKind> parse_kind(const std::string& s) {
    if (s == "sum") return RuleKind::Sum;
    if (s == "percentage") return RuleKind::Percentage;
    if (s == "required") return RuleKind::Required;
    if (s == "consistency") return RuleKind::Consistency;
    if (s == "format") return RuleKind::Format;
    return std::nullopt;
}

bool looks_like_path(const std::string& s) {
    return s.find('/') != std::string::npos || s.ends_with(".yaml") || s.ends_with(".yml");
}

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    // Plain reads into one string: a pack is read on every compile, and a string
    // stream copies it twice. (No size from seeking: a directory reports a bogus one.)
    std::string text;
    char chunk[16384];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) text.append(chunk, static_cast<std::size_t>(in.gcount()));
    return text;
}

std::string normal_path(const std::string& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(fs::path(p), ec);
    return ec ? p : c.string();
}

// A pack file read and its YAML parsed, apart from the others.
struct ParsedPack {
    std::string file;
    bool readable = false;
    std::optional<PackDecl> decl;
    std::vector<RuleDiagnostic> errors;  // of its parsing
};

ParsedPack parse_pack_file(const std::string& file) {
    ParsedPack p;
    p.file = file;
    auto text = read_text(file);
    if (!text) return p;
    p.readable = true;
    Diagnostics diagnostics(p.errors);
    p.decl = load_pack(file, std::move(*text), diagnostics);
    return p;
}

// Reading and parsing the packs' YAML is two fifths of compiling the standard
// packs, and each pack parses on its own: the later packs, about half the bytes,
// are parsed on a second thread while this one parses the first.
std::vector<ParsedPack> parse_pack_files(const std::vector<std::string>& files) {
    std::vector<ParsedPack> parsed(files.size());
    std::vector<std::uintmax_t> sizes(files.size());
    std::uintmax_t total = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::error_code ec;
        sizes[i] = fs::file_size(files[i], ec);
        if (ec) sizes[i] = 0;
        total += sizes[i];
    }
    std::size_t split = 0;
    for (std::uintmax_t here = 0; split < files.size() && here * 2 < total; ++split) here += sizes[split];
    auto parse = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) parsed[i] = parse_pack_file(files[i]);
    };
    std::future<void> others;
    if (split > 0 && split < files.size()) {
        try {
            others = std::async(std::launch::async, parse, split, files.size());
        } catch (const std::system_error&) {
            // No thread to spare: all are parsed here.
        }
    }
    parse(0, others.valid() ? split : files.size());
    if (others.valid()) others.get();  // rethrows what the thread threw (out of memory)
    return parsed;
}

class PackCompiler {
public:
    PackCompiler(const TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors)
        : catalog_(catalog), errors_(errors), diag_(errors) {}

    // A pack parsed ahead (parse_pack_files), its parsing errors in the order the
    // packs are given, as if it were parsed now.
    void add_parsed(ParsedPack p) {
        // Given twice: read once (its errors too, even when it did not parse).
        const std::string path = normal_path(p.file);
        if (!parsed_paths_.insert(path).second) return;
        if (!p.readable) {
            diag_.error(p.file, "cannot read the rule pack: check the path");
            return;
        }
        errors_.insert(errors_.end(), std::make_move_iterator(p.errors.begin()), std::make_move_iterator(p.errors.end()));
        if (p.decl) register_pack(path, std::move(*p.decl));
    }

    void add_text(const PackText& p) { add(p.file, std::string(), p.text); }

    std::shared_ptr<const program::Program> compile() {
        // Keep going after errors: one run reports every problem of every pack.
        resolve_extends();
        auto order = bases_first();
        for (std::size_t i : order) compile_pack(i);
        if (diag_.count() > 0) return nullptr;
        auto program = std::make_shared<program::Program>(std::move(program_));
        eval::fast::plan_rules(*program);  // in place: plans point into the program's nodes
        return program;
    }

private:
    std::optional<std::size_t> add(const std::string& file, const std::string& path, std::string text) {
        if (!path.empty())
            for (std::size_t i = 0; i < packs_.size(); ++i)
                if (packs_[i].path == path) return i;
        auto decl = load_pack(file, std::move(text), diag_);
        if (!decl) return std::nullopt;
        return register_pack(path, std::move(*decl));
    }

    std::optional<std::size_t> register_pack(const std::string& path, PackDecl decl) {
        for (const auto& p : packs_)
            if (decl.id.present && p.decl.id.text == decl.id.text) {
                diag_.error(decl.id, 0, "pack id '" + decl.id.text + "' is also the id of " + p.decl.file);
                return std::nullopt;
            }
        packs_.push_back(LoadedPack{std::move(decl), path, {}});
        return packs_.size() - 1;
    }

    std::optional<std::size_t> find_id(const std::string& id) const {
        for (std::size_t i = 0; i < packs_.size(); ++i)
            if (packs_[i].decl.id.text == id) return i;
        return std::nullopt;
    }

    std::optional<std::size_t> load_base(const YamlText& entry, const std::string& from_file) {
        const std::string& name = entry.text;
        fs::path dir = fs::path(from_file).parent_path();
        if (looks_like_path(name)) {
            fs::path p = fs::path(name).is_absolute() ? fs::path(name) : dir / name;
            auto text = read_text(p.string());
            if (!text) {
                diag_.error(entry, 0, "cannot read the extended pack '" + p.string() + "'");
                return std::nullopt;
            }
            return add(p.string(), normal_path(p.string()), std::move(*text));
        }
        if (auto i = find_id(name)) return i;
        for (const fs::path& candidate : {dir / (name + ".yaml"), fs::path(default_rulepack_dir()) / (name + ".yaml")}) {
            std::error_code ec;
            if (!fs::exists(candidate, ec)) continue;
            auto text = read_text(candidate.string());
            if (!text) continue;
            auto i = add(candidate.string(), normal_path(candidate.string()), std::move(*text));
            if (i && packs_[*i].decl.id.text == name) return i;
        }
        std::vector<std::string> ids;
        for (const auto& p : packs_) ids.push_back(p.decl.id.text);
        diag_.error(entry, 0, "unknown pack '" + name + "' in extends" + names::did_you_mean(name, ids));
        return std::nullopt;
    }

    void resolve_extends() {
        // Loading a base may append packs: iterate by index.
        for (std::size_t i = 0; i < packs_.size(); ++i) {
            std::vector<YamlText> entries = packs_[i].decl.extends;
            std::string file = packs_[i].decl.file;
            for (const auto& e : entries) {
                auto base = load_base(e, file);
                if (base) packs_[i].bases.push_back(*base);
            }
        }
    }

    std::vector<std::size_t> bases_first() {
        std::vector<int> state(packs_.size(), 0);  // 0 new, 1 visiting, 2 done
        std::vector<std::size_t> order, stack;
        std::function<void(std::size_t)> visit = [&](std::size_t i) {
            if (state[i] == 2) return;
            if (state[i] == 1) {
                std::string cycle;
                auto from = std::find(stack.begin(), stack.end(), i);
                for (auto it = from; it != stack.end(); ++it) cycle += packs_[*it].decl.id.text + " -> ";
                cycle += packs_[i].decl.id.text;
                diag_.error(packs_[i].decl.id, 0, "packs extend each other in a cycle: " + cycle);
                return;
            }
            state[i] = 1;
            stack.push_back(i);
            for (std::size_t b : packs_[i].bases) visit(b);
            stack.pop_back();
            state[i] = 2;
            order.push_back(i);
        };
        for (std::size_t i = 0; i < packs_.size(); ++i) visit(i);
        return order;
    }

    // Packs `i` extends, directly or not.
    std::set<std::size_t> closure(std::size_t i) const {
        std::set<std::size_t> out;
        std::vector<std::size_t> todo = packs_[i].bases;
        while (!todo.empty()) {
            std::size_t b = todo.back();
            todo.pop_back();
            if (!out.insert(b).second) continue;
            for (std::size_t bb : packs_[b].bases) todo.push_back(bb);
        }
        return out;
    }

    // ---- params and applies-to ------------------------------------------------------

    program::Node compile_param_value(const YamlText& v, CompileEnv& env, Scope& scope) {
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
    std::size_t evaluated_depth(const program::Node& n) const {
        std::size_t deepest = 0;
        if (n.op == program::Op::Let && n.slot < let_depths_.size()) deepest = let_depths_[n.slot];
        if (n.op == program::Op::Param && n.slot < param_depths_.size()) deepest = param_depths_[n.slot];
        for (const auto& k : n.kids) deepest = std::max(deepest, evaluated_depth(k));
        return deepest + 1;
    }

    // evaluated_depth(n), after an error at `at` when that is deeper than the
    // parser allows one expression (`what`: "let 'x'", "the check"). Then 1: the
    // lets and params that name this one are not reported as well.
    std::size_t checked_depth(const program::Node& n, const YamlText& at, const std::string& what) {
        std::size_t depth = evaluated_depth(n);
        if (depth <= grammar::max_tree_depth) return depth;
        diag_.error(at, 0, what + " is more than " + std::to_string(grammar::max_tree_depth) +
                               " operations deep, counting the lets and params it names: compute it in fewer steps "
                               "(sum(…) rather than a chain of lets)");
        return 1;
    }

    void compile_params(const PackDecl& d, program::CompiledPack& pack, Scope& scope) {
        CompileEnv env{diag_, {}, &names_, true, {}, 0, 0, &catalog_, {}, {}};
        for (const auto& p : d.params) {
            program::Node value;
            if (p.is_list) {
                value.op = program::Op::ListLiteral;
                value.pos = p.name.pos;
                std::optional<Type> element;
                for (const auto& item : p.values) {
                    value.kids.push_back(compile_param_value(item, env, scope));
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
            s.type = value.type;
            if (value.op == program::Op::Constant && value.constant.is<std::string>()) s.text = value.constant.as<std::string>();
            if (value.op == program::Op::ListLiteral)
                for (const auto& item : value.kids)
                    if (item.op == program::Op::Constant && item.constant.is<std::string>())
                        s.texts.push_back(item.constant.as<std::string>());
            check_identifier(p.name, "param");
            scope.symbols.push_back(s);
            param_depths_.push_back(checked_depth(value, p.name, "param '" + p.name.text + "'"));
            pack.param_names.push_back(p.name.text);
            pack.params.push_back(std::move(value));
        }
        pack.param_variable_count = env.max_slot;
    }

    void check_identifier(const YamlText& name, const char* what) {
        try {
            ast::Expr e = parse_expression(name.text);
            if (std::holds_alternative<ast::Name>(e.node)) return;
        } catch (const SyntaxError&) {
        }
        diag_.error(name, 0, std::string(what) + " name '" + name.text + "' is not a name: use letters, digits and '_'");
    }

    std::optional<program::Node> compile_condition(const YamlText& text, CompileEnv& env, Scope& scope, const char* what) {
        ExpressionCompiler c(env, scope, text);
        auto n = c.compile_text();
        if (n && !types::is_condition(n->type)) {
            c.error(0, std::string(what) + " must be a condition, not " + types::describe(n->type));
            return std::nullopt;
        }
        return n;
    }

    // Templates of the catalog for which `applies` holds in some year the template covers.
    std::vector<const TemplateSchema*> admitted(const std::optional<program::Node>& applies, std::uint32_t variable_count,
                                                std::size_t pack, const std::vector<const TemplateSchema*>& among) {
        if (!applies) return among;
        // Most applies-to name the template only: one year then says as much as all.
        std::vector<bool> seen(program_.packs[pack].params.size());
        const bool by_year = reads_year(*applies, pack, seen);
        std::vector<const TemplateSchema*> out;
        for (const auto* t : among) {
            ReportModel model;
            model.template_schema = t;
            model.metadata.detected.template_id = t->id;
            int lo = t->first_year > 0 ? t->first_year : 1990;
            int hi = by_year ? (t->last_year > 0 ? t->last_year : std::max(lo, 2030) + 20) : lo;
            bool any = false;
            eval::Context ctx(model, program_);
            ctx.pack = pack;
            for (int y = lo; y <= hi && !any; ++y) {
                model.metadata.year = y;
                for (auto& param : ctx.params[pack]) param.reset();  // a param may read the year
                ctx.steps = 0;  // a work bound per year, as per report
                try {
                    eval::Value v = eval::evaluate_apart(ctx, *applies, variable_count);
                    any = v.is<bool>() && v.as<bool>();
                } catch (const eval::WorkLimitExceeded&) {
                    break;
                }
            }
            if (any) out.push_back(t);
        }
        return out;
    }

    // Whether `node` reads the report's year, itself or through a param of `pack`
    // (`seen`: the params already looked at).
    bool reads_year(const program::Node& node, std::size_t pack, std::vector<bool>& seen) const {
        if (node.op == program::Op::Global && node.global == program::Global::Year) return true;
        if (node.op == program::Op::Param && node.slot < seen.size() && !seen[node.slot]) {
            seen[node.slot] = true;
            if (reads_year(program_.packs[pack].params[node.slot], pack, seen)) return true;
        }
        for (const auto& k : node.kids)
            if (reads_year(k, pack, seen)) return true;
        return false;
    }

    // ---- rules ---------------------------------------------------------------------------

    void compile_message(const YamlText& text, CompileEnv& env, Scope& scope, program::CompiledRule& rule) {
        std::vector<ast::MessagePart> parts;
        try {
            parts = parse_message(text.text);
        } catch (const SyntaxError& e) {
            diag_.error(text, e.offset(), e.what());
            return;
        }
        ExpressionCompiler c(env, scope, text);
        for (const auto& p : parts) {
            program::MessagePiece piece;
            if (!p.expr) {
                piece.text = p.text;
                rule.message.push_back(std::move(piece));
                continue;
            }
            piece.expr = c.compile(*p.expr);
            piece.spec = p.spec;
            if (!p.spec.empty()) check_spec(text, p.spec_offset, p.spec, piece.expr->type);
            rule.message.push_back(std::move(piece));
        }
    }

    void check_spec(const YamlText& text, std::uint32_t offset, const std::string& spec, const Type& type) {
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
        if (!ok)
            diag_.error(text, offset, "invalid format spec ':" + spec + "' for " + types::describe(type) +
                                          " (write e.g. {x:.2f} or {x:>6})");
    }

    void compile_bindings(const RuleDecl& d, CompileEnv& env, Scope& scope, program::CompiledRule& rule) {
        for (const auto& text : d.bindings) {
            std::vector<ast::Binding> bindings;
            try {
                bindings = parse_bindings(text.text);
            } catch (const SyntaxError& e) {
                diag_.error(text, e.offset(), e.what());
                continue;
            }
            ExpressionCompiler c(env, scope, text);
            for (const auto& b : bindings) {
                program::Node coll = c.compile(b.collection);
                const std::uint32_t slot = c.declare_variable(b.name, coll, b.collection.offset);
                rule.bindings.push_back(program::Binding{b.name, slot, std::move(coll)});
            }
        }
    }

    void compile_rule(const RuleDecl& d, std::size_t pack_index, const std::vector<const TemplateSchema*>& pack_templates,
                      const Scope& pack_scope) {
        program::CompiledRule rule;
        rule.id = d.id.text;
        rule.title = d.title.text;
        rule.basis = d.basis.text;
        for (const auto& t : d.tags) rule.tags.push_back(t.text);
        rule.pack = pack_index;
        rule.file = packs_[current_].decl.file;
        rule.pos = d.id.present ? d.id.pos : d.pos;
        if (d.severity.present) {
            if (auto s = parse_severity(d.severity.text))
                rule.severity = *s;
            else
                diag_.error(d.severity, 0, "severity must be error, warning or info, not '" + d.severity.text + "'");
        }
        if (d.kind.present) {
            if (auto k = parse_kind(d.kind.text))
                rule.kind = *k;
            else
                diag_.error(d.kind, 0, "kind must be sum, percentage, required, consistency or format, not '" + d.kind.text + "'" +
                                           names::did_you_mean(d.kind.text, {"sum", "percentage", "required", "consistency", "format"}));
        }
        Scope scope = pack_scope;
        std::vector<const TemplateSchema*> templates = pack_templates;
        if (d.applies_to.present) {
            CompileEnv meta{diag_, {}, &names_, true, {}, 0, 0, &catalog_, {}, {}};
            rule.applies_to = compile_condition(d.applies_to, meta, scope, "applies-to");
            rule.applies_variable_count = meta.max_slot;
            if (rule.applies_to) templates = admitted(rule.applies_to, meta.max_slot, pack_index, templates);
        }
        CompileEnv env{diag_, templates, &names_, false, {}, 0, 0, &catalog_, {}, {}};
        compile_bindings(d, env, scope, rule);
        std::size_t first_let = scope.symbols.size();
        let_depths_.clear();
        // A let is evaluated where it is first used, maybe inside a quantifier of
        // the check or of another let: each gets quantifier slots of its own, so that
        // evaluating it never overwrites a variable its user is still reading.
        auto fresh_slots = [&env] { env.next_slot = env.max_slot; };
        for (std::size_t k = 0; k < d.lets.size(); ++k) {
            const auto& [name, expr] = d.lets[k];
            env.later_lets.clear();
            for (std::size_t later = k + 1; later < d.lets.size(); ++later) env.later_lets.push_back(d.lets[later].first.text);
            check_identifier(name, "let");
            fresh_slots();
            ExpressionCompiler c(env, scope, expr);
            auto n = c.compile_text();
            Symbol s;
            s.kind = Symbol::Kind::Let;
            s.name = name.text;
            s.slot = static_cast<std::uint32_t>(rule.lets.size());
            s.type = n ? n->type : Type{};
            s.declared = &name;
            scope.symbols.push_back(s);
            rule.lets.push_back(n ? std::move(*n) : program::Node{});
            rule.let_names.push_back(name.text);
            let_depths_.push_back(checked_depth(rule.lets.back(), name, "let '" + name.text + "'"));
        }
        env.later_lets.clear();
        fresh_slots();
        if (d.when.present) rule.when = compile_condition(d.when, env, scope, "when");
        if (rule.when) checked_depth(*rule.when, d.when, "the when");
        rule.check_text = d.check.text;
        if (d.check.present)
            if (auto c = compile_condition(d.check, env, scope, "check")) rule.check = std::move(*c);
        if (d.check.present) checked_depth(rule.check, d.check, "the check");
        if (d.message.present) compile_message(d.message, env, scope, rule);
        for (const auto& piece : rule.message)
            if (piece.expr) checked_depth(*piece.expr, d.message, "a placeholder of the message");
        for (std::size_t i = first_let; i < scope.symbols.size(); ++i) {
            const Symbol& s = scope.symbols[i];
            const auto& early = env.lets_used_too_early;
            if (s.kind == Symbol::Kind::Let && !s.used && s.declared &&
                std::find(early.begin(), early.end(), s.name) == early.end())
                diag_.error(*s.declared, 0, "unused let '" + s.name + "': remove it or use it in when, check or message");
        }
        rule.variable_count = env.max_slot;
        rule.tables = env.tables;
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
        if (rule.when) mark_invariant(*rule.when, rule.lets);
        mark_invariant(rule.check, rule.lets);
        add_rule(std::move(rule), d);
    }

    // T3-COUNT reads r[c] once in its when and three times in its check. An
    // expression written more than once in a rule's when and check that reads the
    // rule's `for` variables (or its lets) and nothing bound inside the check is
    // made a let of its own, computed once per binding. Its value cannot differ
    // from one place to the next: the bindings hold still during a check, reading
    // the model has no effect but recording (which records each cell once, at its
    // first use, as before), and lets are forgotten wherever a check is redone.
    static void share_repeated(program::CompiledRule& rule, std::uint32_t bindings) {
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
    // Worth a let: reading the model (the cheap operations are not).
    static bool shareable(const program::Node& n) {
        using program::Op;
        return n.op == Op::Member || n.op == Op::NamedRow || n.op == Op::NamedCell || n.op == Op::Index ||
               (n.op == Op::Call && n.function && !n.function->binder);
    }
    // Equal expressions get equal ids: a node's id interns its own fields and its
    // kids' ids, so every subtree is described once (one pass, not one per
    // ancestor). A node has no id when it binds a variable (its slot may be
    // another's elsewhere) or reads one bound inside the check, or when a kid has
    // none. `reads`: it reads a `for` variable or a let.
    struct ShapeIds {
        struct Shape {
            std::uint32_t id;
            bool reads;
        };
        std::uint32_t bindings = 0;
        std::unordered_map<std::string, std::uint32_t> interned;
        std::vector<std::pair<const program::Node*, Shape>> of;  // every node with a shape
        std::vector<std::uint32_t> kid_ids;  // a stack: each visit pushes its kids' ids, then pops them
        std::string key;                     // reused: only a new shape copies it

        std::optional<Shape> visit(const program::Node& n) {
            using program::Op;
            bool has_shape = !(n.op == Op::Call && n.function && n.function->binder) &&
                             !(n.op == Op::Variable && n.slot >= bindings);
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
            // The fields' bytes, not their text: this runs for every node of every rule.
            key.clear();
            auto put = [this](const auto& field) { key.append(reinterpret_cast<const char*>(&field), sizeof field); };
            put(n.op);
            put(n.slot);
            put(n.global);
            put(n.binary);
            put(n.function);
            put(n.member);
            put(n.has_from);
            put(n.has_to);
            put(n.name.size());
            key += n.name;
            if (n.op == Op::Constant) {
                const auto& c = n.constant;
                if (c.is<eval::Number>()) {
                    const auto& x = c.as<eval::Number>();
                    put(x.value);
                    put(x.lo);
                    put(x.hi);
                    put(x.decimals);
                } else if (c.is<std::string>()) {
                    put(c.as<std::string>().size());
                    key += c.as<std::string>();
                } else if (c.is<bool>()) {
                    put(c.as<bool>());
                } else {
                    kid_ids.resize(first_kid);
                    return std::nullopt;
                }
            }
            put(n.kids.size());
            for (std::size_t i = first_kid; i < kid_ids.size(); ++i) put(kid_ids[i]);
            kid_ids.resize(first_kid);
            auto found = interned.find(key);
            if (found == interned.end())
                found = interned.emplace(key, static_cast<std::uint32_t>(interned.size())).first;
            Shape shape{found->second, reads};
            of.emplace_back(&n, shape);
            return shape;
        }
    };

    // Flags the expressions that are closed: every variable they read is bound
    // inside them, and they read no let — binder calls (filter, sum(x in …), any…),
    // 表三.found, 表三.本年新收 in 表三.本年新收[c]. Constants, variables, lets,
    // params and tables are kept by the evaluator anyway.
    struct Openness {
        std::vector<std::uint32_t> free;  // variables read but not bound inside
        bool reads_let = false;
        bool reads_cells = false;
    };
    // `lets`: the rule's, whose bodies are marked (a let reads cells when its body does).
    static void mark_invariant(program::Node& node, const std::vector<program::Node>& lets) { (void)openness(node, lets); }
    static Openness openness(program::Node& node, const std::vector<program::Node>& lets) {
        Openness out;
        if (node.op == program::Op::Variable) out.free.push_back(node.slot);
        if (node.op == program::Op::Let) out.reads_let = true;
        // Cells are read by indexing a row or a column, by naming a cell of one, by a
        // slice of one, and by their `cells` (or a member the checker could not resolve).
        out.reads_cells = node.op == program::Op::Index || node.op == program::Op::NamedCell ||
                          node.op == program::Op::Slice ||
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

    void add_rule(program::CompiledRule rule, const RuleDecl& d) {
        if (!d.id.present) return;
        // By id: a scan of every rule for each would make a pack of many rules quadratic.
        auto& same_id = rules_by_id_[rule.id];
        for (std::size_t index : same_id) {
            auto& existing = program_.rules[index];
            std::size_t existing_pack = pack_of_program_[existing.pack];
            if (current_bases_.count(existing_pack)) {
                // A rule of an extending pack replaces the extended pack's rule when it applies.
                existing.overrides.push_back(program::Override{rule.pack, std::nullopt, true});
                continue;
            }
            // Two packs that do not extend each other: to change the other's rule, extend it.
            const std::string& other = program_.packs[existing.pack].id;
            std::string hint = existing.pack == rule.pack
                                   ? ""
                                   : "; to replace that rule of pack '" + other + "', add `extends: [" + other +
                                         "]` to this pack, or give this rule another id";
            diag_.error(d.id, 0, "duplicate rule id '" + rule.id + "' (also defined at " + existing.file + ":" +
                                     std::to_string(existing.pos.line) + hint + ")");
            return;
        }
        same_id.push_back(program_.rules.size());
        program_.rules.push_back(std::move(rule));
    }

    void apply_overrides(const PackDecl& d, std::size_t pack_index) {
                for (const auto& o : d.overrides) {
            if (!o.id.present) continue;
            program::Override change;
            change.pack = pack_index;
            if (o.severity.present) {
                change.severity = parse_severity(o.severity.text);
                if (!change.severity)
                    diag_.error(o.severity, 0, "severity must be error, warning or info, not '" + o.severity.text + "'");
            }
            if (o.disabled.present) {
                if (o.disabled.text == "true")
                    change.disabled = true;
                else if (o.disabled.text != "false")
                    diag_.error(o.disabled, 0, "disabled must be true or false, not '" + o.disabled.text + "'");
            }
            bool found = false;
            std::vector<std::string> ids;
            for (auto& r : program_.rules) {
                if (!current_bases_.count(pack_of_program_[r.pack])) continue;
                ids.push_back(r.id);
                if (r.id == o.id.text) {
                    r.overrides.push_back(change);
                    found = true;
                }
            }
            if (!found) {
                std::string hint = names::did_you_mean(o.id.text, ids);
                if (hint.empty() && d.extends.empty()) hint = " (a pack can only override rules of the packs it extends)";
                diag_.error(o.id, 0, "override of unknown rule '" + o.id.text + "'" + hint);
            }
        }
    }

    void compile_pack(std::size_t i) {
        current_ = i;
        current_bases_ = closure(i);
        param_depths_.clear();
        const PackDecl& d = packs_[i].decl;
        program::CompiledPack pack;
        pack.id = d.id.text;
        pack.title = d.title.text;
        pack.version = d.version.text;
        pack.file = d.file;
        for (std::size_t b : packs_[i].bases) pack.extends.push_back(packs_[b].decl.id.text);
        std::size_t pack_index = program_.packs.size();
        pack_of_program_.push_back(i);

        Scope scope;
        add_globals(scope);
        compile_params(d, pack, scope);
        program_.packs.push_back(std::move(pack));
        if (d.applies_to.present) {
            CompileEnv meta{diag_, {}, &names_, true, {}, 0, 0, &catalog_, {}, {}};
            program_.packs[pack_index].applies_to = compile_condition(d.applies_to, meta, scope, "applies-to");
            program_.packs[pack_index].applies_variable_count = meta.max_slot;
        }
        std::vector<const TemplateSchema*> all;
        for (const auto& t : catalog_.templates) all.push_back(&t);
        const auto& compiled = program_.packs[pack_index];
        auto templates = admitted(compiled.applies_to, compiled.applies_variable_count, pack_index, all);
        for (const auto& r : d.rules) compile_rule(r, pack_index, templates, scope);
        apply_overrides(d, pack_index);
    }

    const TemplateCatalog& catalog_;
    std::vector<RuleDiagnostic>& errors_;
    Diagnostics diag_;
    std::set<std::string> parsed_paths_;  // of the packs given (add_parsed)
    names::NameIndexCache names_;
    std::vector<LoadedPack> packs_;
    program::Program program_;
    std::vector<std::size_t> pack_of_program_;  // program pack index -> packs_ index
    std::size_t current_ = 0;
    std::set<std::size_t> current_bases_;  // closure(current_)
    std::unordered_map<std::string, std::vector<std::size_t>> rules_by_id_;  // indexes into program_.rules
    // evaluated_depth() of the current pack's params and of the current rule's lets.
    std::vector<std::size_t> param_depths_, let_depths_;
};

// Diagnostics in reading order: by file (in order of first mention), line, column.
void sort_by_position(std::vector<RuleDiagnostic>& errors, std::size_t from) {
    std::vector<std::string> files;
    for (std::size_t i = from; i < errors.size(); ++i)
        if (std::find(files.begin(), files.end(), errors[i].file) == files.end()) files.push_back(errors[i].file);
    auto rank = [&](const RuleDiagnostic& d) { return std::find(files.begin(), files.end(), d.file) - files.begin(); };
    std::stable_sort(errors.begin() + static_cast<long>(from), errors.end(), [&](const RuleDiagnostic& a, const RuleDiagnostic& b) {
        return std::tuple(rank(a), a.pos.line, a.pos.column) < std::tuple(rank(b), b.pos.line, b.pos.column);
    });
}

template <typename Sources, typename Add>
RuleSet compile_all(Sources& sources, const TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors, Add add) {
    std::size_t before = errors.size();
    program::RegexTablesWarmup regex_tables;  // built while the packs load
    PackCompiler c(catalog, errors);
    for (auto& s : sources) add(c, s);
    auto program = c.compile();
    sort_by_position(errors, before);
    if (!program) return RuleSet();
    return RuleSet(std::move(program));
}

}  // namespace

RuleSet compile_rule_packs(const std::vector<std::string>& files, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors) {
    program::RegexTablesWarmup regex_tables;  // built while the packs are parsed
    std::vector<ParsedPack> parsed = parse_pack_files(files);
    return compile_all(parsed, catalog, errors, [](PackCompiler& c, ParsedPack& p) { c.add_parsed(std::move(p)); });
}

RuleSet compile_rule_packs(const std::vector<PackText>& packs, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors) {
    return compile_all(packs, catalog, errors, [](PackCompiler& c, const PackText& p) { c.add_text(p); });
}

}  // namespace gouji
