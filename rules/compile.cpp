// compile_rule_packs: load the packs and what they extend, order them bases
// first, compile each pack's params and applies-to, then its rules (each
// against the templates its applies-to admits; rules/rule_compiler), then apply
// replacements and overrides.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "engine/eval/fast.hpp"
#include "gouji/rules.hpp"
#include "rules/expression_compiler.hpp"
#include "rules/names.hpp"
#include "rules/pack_loader.hpp"
#include "rules/rule_compiler.hpp"
#include "rules/task_thread.hpp"

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
    std::vector<std::size_t> base_entries{};  // for each base, its entry in decl.extends
    bool unresolved = false;        // an entry of its extends names no pack found
};

// Template ids, "gov-2019, gov-2021".
std::string template_list(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out.empty() ? "none" : out;
}

bool looks_like_path(const std::string& s) {
    return s.find('/') != std::string::npos || s.ends_with(".yaml") || s.ends_with(".yml");
}

const std::string too_large_for_a_pack =
    "is larger than 16 MiB, so not a rule pack: give the pack's .yaml file (a report is given without --pack)";

std::string normal_path(const std::string& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(fs::path(p), ec);
    return ec ? p : c.string();
}

// A pack file read and its YAML parsed, apart from the others.
struct ParsedPack {
    std::string file;
    bool readable = false;
    std::string unreadable;  // why not, with what to do
    std::optional<PackDecl> decl;
    std::vector<RuleDiagnostic> errors;  // of its parsing
};

ParsedPack parse_pack_file(const std::string& file) {
    ParsedPack p;
    p.file = file;
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        p.unreadable = "is a directory, not a rule pack: give its .yaml files (e.g. --pack " +
                       (fs::path(file) / "pack.yaml").string() + ")";
        return p;
    }
    bool too_large = false;
    int error = 0;
    auto text = read_yaml_file(file, &too_large, &error);
    if (!text) {
        p.unreadable = too_large ? too_large_for_a_pack
                                 : "cannot read the rule pack: " + std::string(std::strerror(error)) + " (" +
                                       yaml_file_hint(error) + ")";
        return p;
    }
    p.readable = true;
    Diagnostics diagnostics(p.errors);
    p.decl = load_pack(file, std::move(*text), diagnostics);
    return p;
}

// The compile's second thread, found once: it parses packs beside this one,
// then compiles rules beside it. The spare thread when there is one to borrow
// (a RegexTablesWarmup's, which started it before the templates loaded), else
// one started here: each start costs a tenth of a first compile (task_thread.hpp).
class SecondThread {
public:
    SecondThread() = default;
    ~SecondThread() {
        if (borrowed_) give_back_spare_thread(*borrowed_);
    }
    SecondThread(const SecondThread&) = delete;
    SecondThread& operator=(const SecondThread&) = delete;

    // Finds it ahead of its first task, so that a start overlaps work here.
    void start() { (void)thread(); }

    // Runs `task` there; not given when there is no second thread.
    TaskThread::Task run(std::function<void()> task) {
        TaskThread* thread = this->thread();
        return thread ? thread->run(std::move(task)) : TaskThread::Task();
    }

private:
    TaskThread* thread() {
        if (sought_) return borrowed_ ? borrowed_ : own_.get();
        sought_ = true;
        if (std::thread::hardware_concurrency() <= 1) return nullptr;
        if ((borrowed_ = borrow_spare_thread())) return borrowed_;
        try {
            own_ = std::make_unique<TaskThread>();
        } catch (const std::system_error&) {
            // No thread to spare: this one does all.
        }
        return own_.get();
    }

    bool sought_ = false;
    TaskThread* borrowed_ = nullptr;
    std::unique_ptr<TaskThread> own_;
};

// Reading and parsing the packs' YAML is two fifths of compiling the standard
// packs, and each pack parses on its own: this thread takes packs from the
// first, the second thread from the last, until they meet. How many each
// parses is settled as they go: on a 2-core VM the second started 0.2–1.7 ms
// late, and a split fixed in advance by size left this thread waiting for it.
// The spare thread may still be building ICU's tables when this one has taken
// the last pack: its task, not begun, is then run here and finds none left.
std::vector<ParsedPack> parse_pack_files(const std::vector<std::string>& files, SecondThread& second) {
    std::vector<ParsedPack> parsed(files.size());
    std::mutex taking;
    std::size_t first = 0, last = files.size();  // those not yet taken: [first, last)
    auto take = [&](bool from_first) -> std::optional<std::size_t> {
        std::lock_guard<std::mutex> lock(taking);
        if (first == last) return std::nullopt;
        return from_first ? first++ : --last;
    };
    auto parse = [&](bool from_first) {
        while (auto i = take(from_first)) parsed[*i] = parse_pack_file(files[*i]);
    };
    TaskThread::Task others = files.size() > 1 ? second.run([&] { parse(false); }) : TaskThread::Task();
    parse(true);
    others.get();
    return parsed;
}

class PackCompiler {
public:
    PackCompiler(const TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors, SecondThread& second)
        : catalog_(catalog), errors_(errors), diag_(errors), second_(second) {}

    // A pack parsed ahead (parse_pack_files), its parsing errors in the order the
    // packs are given, as if it were parsed now.
    void add_parsed(ParsedPack p) {
        // Given twice: read once (its errors too, even when it did not parse).
        const std::string path = normal_path(p.file);
        if (!parsed_paths_.insert(path).second) return;
        if (!p.readable) {
            diag_.error(p.file, p.unreadable);
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
        // A pack's rules need its params and applies-to, and their ids and
        // overrides are settled against the packs it extends; the rules themselves
        // compile apart. So: every pack's frame in order, then all rules side by
        // side, then each pack's rules and overrides added in order (errors too, in
        // the order one pass would find them).
        RuleCompiler first(catalog_, program_);
        std::vector<PackFrame> frames;
        std::vector<std::vector<RuleDiagnostic>> frame_errors;
        std::vector<RuleJob> jobs;
        for (std::size_t i : order) {
            frames.push_back(frame_pack(i, first, frames));
            frame_errors.push_back(first.take_errors());
        }
        for (std::size_t k = 0; k < order.size(); ++k)
            for (const auto& r : packs_[order[k]].decl.rules) jobs.push_back(RuleJob{&r, &frames[k], {}, {}});
        compile_rules(jobs, first);
        program_.rules.reserve(program_.rules.size() + jobs.size());  // a rule is moved in once, not at each growth
        auto job = jobs.begin();
        for (std::size_t k = 0; k < order.size(); ++k) {
            diag_.add(std::move(frame_errors[k]));
            // Whether the nearest known id is a fix for one the catalog lacks
            // depends on the names the pack's rules read: said once they are compiled.
            if (!frames[k].unknown_templates.empty()) {
                std::vector<UncheckedName> unchecked;
                for (auto j = job; j != jobs.end() && j->frame == &frames[k]; ++j)
                    unchecked.insert(unchecked.end(), j->unchecked.begin(), j->unchecked.end());
                first.say_unknown_templates(frames[k].unknown_templates, unchecked);
                diag_.add(first.take_errors());
            }
            const PackDecl& d = packs_[order[k]].decl;
            current_bases_ = closure(order[k]);
            for (; job != jobs.end() && job->frame == &frames[k]; ++job) {
                diag_.add(std::move(job->errors));
                add_rule(std::move(job->rule), *job->decl, frames[k]);
            }
            apply_overrides(d, frames[k], first);
        }
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

    // The pack in `file`, read apart, as a probe: its errors are not this run's.
    static std::optional<PackDecl> read_apart(const fs::path& file) {
        auto text = read_yaml_file(file.string());
        if (!text) return std::nullopt;
        std::vector<RuleDiagnostic> ignored;
        Diagnostics apart(ignored);
        return load_pack(file.string(), std::move(*text), apart);
    }

    // The names an extends entry of the pack `from_file` (in folder `dir`) could
    // give and be found by: the ids of the packs given, and the stems of the files
    // beside it and among the standard packs whose id is their stem.
    std::vector<std::string> extendable_ids(const fs::path& dir, const std::string& from_file) const {
        std::vector<std::string> ids;
        auto know = [&](std::set<std::string> group) {
            for (const auto& id : group)
                if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        };
        std::set<std::string> given;
        for (const auto& p : packs_)
            if (p.decl.id.present && p.decl.file != from_file) given.insert(p.decl.id.text);
        know(std::move(given));
        for (const fs::path& folder : {fs::path(default_rulepack_dir()), dir.empty() ? fs::path(".") : dir}) {
            std::set<std::string> files;
            std::error_code ec;
            for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
                if (it->path().extension() != ".yaml" || normal_path(it->path().string()) == normal_path(from_file)) continue;
                const std::string stem = it->path().stem().string();
                if (files.count(stem) || std::find(ids.begin(), ids.end(), stem) != ids.end()) continue;
                if (auto decl = read_apart(it->path()); decl && decl->id.text == stem) files.insert(stem);
            }
            know(std::move(files));
        }
        return ids;
    }

    // The rules of the standard packs not compiled in this run (--no-standard), as
    // (rule id, pack id): read apart, as a probe, for an override's hint only.
    void add_standard_rules(std::vector<std::pair<std::string, std::string>>& out) const {
        std::vector<fs::path> files;  // in name order, so that the hint does not depend on the folder's
        std::error_code ec;
        for (fs::directory_iterator it(default_rulepack_dir(), ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".yaml") files.push_back(it->path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto decl = read_apart(file);
            if (!decl || !decl->id.present || find_id(decl->id.text)) continue;
            for (const auto& r : decl->rules)
                if (r.id.present) out.emplace_back(r.id.text, decl->id.text);
        }
    }

    std::optional<std::size_t> load_base(const YamlText& entry, const std::string& from_file) {
        const std::string& name = entry.text;
        fs::path dir = fs::path(from_file).parent_path();
        if (looks_like_path(name)) {
            fs::path p = fs::path(name).is_absolute() ? fs::path(name) : dir / name;
            bool too_large = false;
            int error = 0;
            auto text = read_yaml_file(p.string(), &too_large, &error);
            if (!text) {
                diag_.error(entry, 0,
                            "the extended pack '" + p.string() + "' " +
                                (too_large ? too_large_for_a_pack
                                           : "cannot be read: " + std::string(std::strerror(error)) + " (" +
                                                 yaml_file_hint(error) + ")"));
                return std::nullopt;
            }
            return add(p.string(), normal_path(p.string()), std::move(*text));
        }
        if (auto i = find_id(name)) return i;
        // <name>.yaml is probed apart: one of another id is not the pack meant,
        // and its errors are none of this run's.
        struct Probed {
            fs::path file;
            std::optional<std::string> id;  // nullopt: no pack gouji can read
            bool standard;
        };
        std::optional<Probed> other;
        for (const fs::path& candidate : {dir / (name + ".yaml"), fs::path(default_rulepack_dir()) / (name + ".yaml")}) {
            std::error_code ec;
            if (!fs::is_regular_file(candidate, ec)) continue;
            ParsedPack probe = parse_pack_file(candidate.string());
            if (probe.decl && probe.decl->id.text == name) {
                errors_.insert(errors_.end(), std::make_move_iterator(probe.errors.begin()),
                               std::make_move_iterator(probe.errors.end()));
                return register_pack(normal_path(candidate.string()), std::move(*probe.decl));
            }
            if (!other)
                other = Probed{candidate,
                               probe.decl && probe.decl->id.present ? std::optional<std::string>(probe.decl->id.text) : std::nullopt,
                               candidate.parent_path() != dir};
        }
        const std::string shown = shortened(name, 80);
        if (other) {
            const std::string where = other->standard ? "the standard pack file " + shown + ".yaml"
                                                      : shown + ".yaml beside this pack";
            const std::string by_path = other->standard ? "" : " or by its path: write extends: [./" + shown + ".yaml]";
            diag_.error(entry, 0,
                        "unknown pack '" + shown + "' in extends: " + where +
                            (other->id ? " has the id '" + shortened(*other->id, 80) + "'"
                                       : " is no pack gouji can read (its errors are said when it is given with --pack)") +
                            "; extends names a pack by its id (of a pack given in the same run, or of <id>.yaml beside "
                            "this pack or among the standard packs)" + by_path);
            return std::nullopt;
        }
        const std::vector<std::string> ids = extendable_ids(dir, from_file);
        std::string list;
        for (std::size_t k = 0; k < ids.size() && k < 12; ++k) list += (k == 0 ? "" : ", ") + ids[k];
        if (ids.size() > 12) list += ", …";
        diag_.error(entry, 0, "unknown pack '" + shown + "' in extends" + names::did_you_mean(name, ids) +
                                  ": no pack given has that id, and no " + shown +
                                  ".yaml is beside this pack or among the standard packs" +
                                  (list.empty() ? "" : " (known: " + list + ")"));
        return std::nullopt;
    }

    void resolve_extends() {
        // Loading a base may append packs: iterate by index.
        for (std::size_t i = 0; i < packs_.size(); ++i) {
            std::vector<YamlText> entries = packs_[i].decl.extends;
            std::string file = packs_[i].decl.file;
            for (std::size_t k = 0; k < entries.size(); ++k) {
                auto base = load_base(entries[k], file);
                if (base) {
                    packs_[i].bases.push_back(*base);
                    packs_[i].base_entries.push_back(k);
                } else {
                    packs_[i].unresolved = true;
                }
            }
        }
    }

    std::vector<std::size_t> bases_first() {
        std::vector<int> state(packs_.size(), 0);  // 0 new, 1 visiting, 2 done
        std::vector<std::size_t> order, stack;
        std::function<void(std::size_t)> visit = [&](std::size_t i) {
            if (state[i] != 0) return;
            state[i] = 1;
            stack.push_back(i);
            for (std::size_t k = 0; k < packs_[i].bases.size(); ++k) {
                const std::size_t b = packs_[i].bases[k];
                if (state[b] != 1) {
                    visit(b);
                    continue;
                }
                // Said at the entry that closes the cycle, the one to change.
                std::string cycle;
                for (auto it = std::find(stack.begin(), stack.end(), b); it != stack.end(); ++it)
                    cycle += packs_[*it].decl.id.text + " -> ";
                cycle += packs_[b].decl.id.text;
                diag_.error(packs_[i].decl.extends[packs_[i].base_entries[k]], 0,
                            "packs extend each other in a cycle: " + cycle);
            }
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

    static bool standard_pack(const std::string& file) {
        return fs::path(normal_path(file)).parent_path() == fs::path(normal_path(default_rulepack_dir()));
    }

    // Whether pack `i`, or a pack it extends, is one `holds`.
    template <typename Holds>
    bool it_or_a_base(std::size_t i, Holds holds) const {
        if (holds(packs_[i])) return true;
        const std::set<std::size_t> bases = closure(i);
        return std::any_of(bases.begin(), bases.end(), [&](std::size_t b) { return holds(packs_[b]); });
    }

    // Whether pack `i`, or a pack it extends, was read only up to invalid YAML.
    bool rules_cut_short(std::size_t i) const {
        return it_or_a_base(i, [](const LoadedPack& p) { return p.decl.cut_short; });
    }

    // Whether pack `i`, or a pack it extends, has an extends entry naming no pack found.
    bool extends_unresolved(std::size_t i) const {
        return it_or_a_base(i, [](const LoadedPack& p) { return p.unresolved; });
    }

    void add_rule(program::CompiledRule&& rule, const RuleDecl& d, const PackFrame& frame) {
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
            // Two packs that do not extend each other: to change the other's rule, extend it
            // (unless this pack's extends names a pack not found, which may be it).
            if (existing.pack != rule.pack && frame.names_may_be_inherited) return;
            const std::string& other = program_.packs[existing.pack].id;
            std::string hint = existing.pack == rule.pack
                                   ? ""
                                   : "; to replace that rule of pack '" + other + "', add `extends: [" + other +
                                         "]` to this pack, or give this rule another id";
            const std::string also = "duplicate rule id '" + rule.id + "' (also defined at " + existing.file + ":" +
                                     std::to_string(existing.pos.line);
            if (!d.alias.empty() && d.id.source)
                // The id is the anchored rule's own: say where the alias repeats it.
                diag_.error(*d.id.source, d.pos, also + "; this entry is the alias *" + d.alias + ", which repeats the rule anchored &" +
                                                     d.alias + " there: write this rule out with an id of its own, or remove it)");
            else
                diag_.error(d.id, 0, also + hint + ")");
            return;
        }
        same_id.push_back(program_.rules.size());
        program_.rules.push_back(std::move(rule));
    }

    // What an override of pack `pack` to rule `r` takes effect under: the pack's
    // applies-to, the rule's pack's and the rule's own.
    std::vector<Condition> conditions_of(const program::CompiledRule& r, std::size_t pack) const {
        std::vector<Condition> out;
        auto add = [&](const std::optional<program::Node>& node, std::uint32_t variables, std::size_t in) {
            if (node) out.push_back(Condition{&*node, variables, in});
        };
        add(program_.packs[pack].applies_to, program_.packs[pack].applies_variable_count, pack);
        add(program_.packs[r.pack].applies_to, program_.packs[r.pack].applies_variable_count, r.pack);
        add(r.applies_to, r.applies_variable_count, r.pack);
        return out;
    }

    // The templates of `ids` that are also in `among`.
    std::vector<const TemplateSchema*> shared_templates(const std::vector<std::string>& ids,
                                                        const std::vector<const TemplateSchema*>& among) const {
        std::vector<const TemplateSchema*> out;
        for (const auto* t : among)
            if (std::find(ids.begin(), ids.end(), t->id) != ids.end()) out.push_back(t);
        return out;
    }

    // An override and the pack that gave it, for two packs that set one rule's
    // severity apart (neither extending the other).
    struct SeverityGiven {
        std::size_t rule = 0;  // index into program_.rules
        std::size_t pack = 0;  // program pack
        Severity severity = Severity::Error;
        const YamlText* at = nullptr;
        std::vector<const TemplateSchema*> templates;  // the pack's frame's
    };

    void apply_overrides(const PackDecl& d, const PackFrame& frame, RuleCompiler& compiler) {
        const std::size_t pack_index = frame.pack;
        for (const auto& o : d.overrides) {
            if (!o.id.present) continue;
            program::Override change;
            change.pack = pack_index;
            if (o.severity.present) {
                change.severity = parse_severity(o.severity.text);
                if (!change.severity)
                    diag_.error(o.severity, 0, severity_error(o.severity.text));
            }
            if (o.disabled.present) {
                if (o.disabled.text == "true")
                    change.disabled = true;
                else if (o.disabled.text != "false")
                    diag_.error(o.disabled, 0, "disabled must be true or false, not '" + shortened(o.disabled.text, 80) + "'");
            }
            bool found = false, takes_effect = false;
            std::vector<std::string> ids, runs_on;
            std::optional<SourcePos> own;
            for (std::size_t index = 0; index < program_.rules.size(); ++index) {
                auto& r = program_.rules[index];
                if (r.pack == pack_index && r.id == o.id.text) own = r.pos;
                if (!current_bases_.count(pack_of_program_[r.pack])) continue;
                ids.push_back(r.id);
                if (r.id != o.id.text) continue;
                found = true;
                r.overrides.push_back(change);
                // Whether some report is audited both by this pack and by the rule.
                const auto both = shared_templates(r.template_ids, frame.templates);
                if (!both.empty() && compiler.may_hold_together(conditions_of(r, pack_index), both)) takes_effect = true;
                for (const auto& id : r.template_ids)
                    if (std::find(runs_on.begin(), runs_on.end(), id) == runs_on.end()) runs_on.push_back(id);
                if (change.severity) check_severity_conflict(index, pack_index, *change.severity, o.severity, frame, compiler);
            }
            if (found && !takes_effect && !frame.applies_unsure) {
                std::vector<std::string> admitted;
                for (const auto* t : frame.templates) admitted.push_back(t->id);
                diag_.error(o.id, 0, "override of '" + o.id.text + "' never takes effect: no report is audited both by this "
                                     "pack and by the rule (the rule runs on " + template_list(runs_on) +
                                     " reports, this pack's applies-to admits " + template_list(admitted) +
                                     "): check this pack's applies-to, or drop the override");
            }
            if (found) continue;
            // What this pack extends could not all be found, or not all read
            // (its YAML is invalid further on): the rule may be in what was not.
            if (frame.names_may_be_inherited || rules_cut_short(pack_of_program_[pack_index])) continue;
            if (own) {
                diag_.error(o.id, 0, "override of '" + o.id.text + "', a rule of this pack (line " + std::to_string(own->line) +
                                         "): change its severity there, or remove it; overrides change the rules of the "
                                         "packs this pack extends");
                continue;
            }
            // The rule is another pack's, one this pack does not extend: say which to extend.
            // A misspelt id of such a rule is said with both (T3-BALANSE for gov-tables' T3-BALANCE).
            std::vector<std::pair<std::string, std::string>> elsewhere;  // rule id, its pack's id
            for (const auto& r : program_.rules)
                if (r.pack != pack_index) elsewhere.emplace_back(r.id, program_.packs[r.pack].id);
            auto owner_of = [&](const std::string& id) -> const std::string* {
                for (const auto& [rule, pack] : elsewhere)
                    if (rule == id) return &pack;
                return nullptr;
            };
            auto not_extended = [](const std::string& owner) {
                return "it is a rule of pack '" + owner + "', which this pack does not extend: add extends: [" + owner + "]";
            };
            std::string hint = names::did_you_mean(o.id.text, ids);
            if (!owner_of(o.id.text) && hint.empty()) add_standard_rules(elsewhere);
            if (const std::string* owner = owner_of(o.id.text)) hint = " (" + not_extended(*owner) + ")";
            if (hint.empty()) {
                std::vector<std::string> others;
                for (const auto& [rule, pack] : elsewhere) others.push_back(rule);
                if (auto near = names::closest(o.id.text, others))
                    hint = " (did you mean '" + *near + "'? " + not_extended(*owner_of(*near)) + ")";
            }
            if (hint.empty() && d.extends.empty()) hint = " (a pack can only override rules of the packs it extends)";
            diag_.error(o.id, 0, "override of unknown rule '" + shortened(o.id.text, 80) + "'" + hint);
        }
    }

    // Two packs, neither extending the other, that give rule `index` different
    // severities: for a report both apply to, the later pack's would win, by the
    // order the packs happen to be given in.
    void check_severity_conflict(std::size_t index, std::size_t pack, Severity severity, const YamlText& at,
                                 const PackFrame& frame, RuleCompiler& compiler) {
        const auto& r = program_.rules[index];
        for (const auto& given : severities_given_) {
            if (given.rule != index || given.severity == severity || given.pack == pack) continue;
            if (current_bases_.count(pack_of_program_[given.pack])) continue;  // this pack extends it: this one wins, as meant
            // A standard pack's comes before every pack given (gouji check): a pack given changes it, as meant.
            if (standard_pack(program_.packs[given.pack].file)) continue;
            std::vector<const TemplateSchema*> both;
            for (const auto* t : shared_templates(r.template_ids, frame.templates))
                if (std::find(given.templates.begin(), given.templates.end(), t) != given.templates.end()) both.push_back(t);
            std::vector<Condition> conditions = conditions_of(r, pack);
            if (const auto& other = program_.packs[given.pack].applies_to)
                conditions.push_back(Condition{&*other, program_.packs[given.pack].applies_variable_count, given.pack});
            if (both.empty() || !compiler.may_hold_together(conditions, both)) continue;
            const SourcePos where = given.at->pos;
            diag_.error(at, 0, "pack '" + program_.packs[given.pack].id + "' sets the severity of '" + r.id + "' to " +
                                   std::string(to_string(given.severity)) + " (" + program_.packs[given.pack].file + ":" +
                                   std::to_string(where.line) + "), this pack to " + std::string(to_string(severity)) +
                                   ": for a report both apply to, the one given last would win; let one pack extend "
                                   "the other, or give the override in one of them");
            break;
        }
        severities_given_.push_back(SeverityGiven{index, pack, severity, &at, frame.templates});
    }

    // The pack's entry in the program, its params and its applies-to. `built`:
    // the frames of the packs before it, among them those it extends.
    PackFrame frame_pack(std::size_t i, RuleCompiler& compiler, const std::vector<PackFrame>& built) {
        const PackDecl& d = packs_[i].decl;
        program::CompiledPack pack;
        pack.id = d.id.text;
        pack.title = d.title.text;
        pack.version = d.version.text;
        pack.file = d.file;
        for (std::size_t b : packs_[i].bases) pack.extends.push_back(packs_[b].decl.id.text);
        PackFrame frame;
        frame.pack = program_.packs.size();
        frame.file = d.file;
        pack_of_program_.push_back(i);
        frame.names_may_be_inherited = extends_unresolved(i);
        frame.standard = standard_pack(d.file);
        add_globals(frame.scope);
        inherit_params(i, built, frame);
        compiler.compile_params(d, pack, frame);
        program_.packs.push_back(std::move(pack));
        auto& compiled = program_.packs[frame.pack];
        std::vector<const TemplateSchema*> all;
        for (const auto& t : catalog_.templates) all.push_back(&t);
        if (d.applies_to.present) {
            AppliesTo applies = compiler.compile_applies_to(d.applies_to, frame.scope, compiled.applies_variable_count,
                                                            frame.names_may_be_inherited);
            compiled.applies_to = std::move(applies.node);
            frame.applies_unsure = !compiled.applies_to;
            frame.only_unknown_templates =
                compiler.only_unknown_templates(applies, compiled.applies_variable_count, frame.pack, all);
            if (applies.but_for_unknown && !frame.only_unknown_templates)
                frame.known_too =
                    compiler.admitted(applies.but_for_unknown, compiled.applies_variable_count, frame.pack, all);
            frame.unknown_templates = std::move(applies.unknown);
        }
        // An applies-to that admits no template is said once: its frame then holds
        // every template, as one with an error does, so that its overrides are not
        // also each said never to take effect.
        bool admits_none = false;
        frame.templates = compiler.admitted_or_said(d.applies_to, compiled.applies_to, compiled.applies_variable_count,
                                                    frame.pack, all, &admits_none);
        frame.applies_unsure = frame.applies_unsure || admits_none;
        return frame;
    }

    // The params of the packs pack `i` extends, directly or not, are its own to
    // read (a param of its own of the same name hides one): an extending pack
    // says what differs, not what its base has said already.
    void inherit_params(std::size_t i, const std::vector<PackFrame>& built, PackFrame& frame) const {
        for (std::size_t base : packs_[i].bases)
            for (const auto& b : built) {
                if (pack_of_program_[b.pack] != base) continue;
                for (const auto& s : b.scope.symbols) {
                    if (s.kind != Symbol::Kind::Param) continue;
                    bool known = std::any_of(frame.scope.symbols.begin(), frame.scope.symbols.end(), [&](const Symbol& k) {
                        return k.kind == Symbol::Kind::Param && k.pack == s.pack && k.slot == s.slot;
                    });
                    if (!known) frame.scope.symbols.push_back(s);
                }
                for (const auto& [pack, depths] : b.param_depths) frame.param_depths[pack] = depths;
            }
    }

    struct RuleJob {
        const RuleDecl* decl;
        const PackFrame* frame;
        program::CompiledRule rule;
        std::vector<RuleDiagnostic> errors;  // of compiling it
        std::vector<UncheckedName> unchecked{};  // RuleCompiler::take_unchecked()
    };

    // Two thirds of compiling the standard packs is compiling their rules, each
    // on its own: the second thread takes rules in turn with this one. Each thread
    // has its own RuleCompiler; both only read program_ meanwhile.
    void compile_rules(std::vector<RuleJob>& jobs, RuleCompiler& here) {
        std::atomic<std::size_t> next{0};
        auto work = [&](RuleCompiler& compiler) {
            for (std::size_t k = next++; k < jobs.size(); k = next++) {
                jobs[k].rule = compiler.compile_rule(*jobs[k].decl, *jobs[k].frame);
                jobs[k].errors = compiler.take_errors();
                jobs[k].unchecked = compiler.take_unchecked();
            }
        };
        // Handing rules over costs tens of microseconds: worth it for a pack of many rules only.
        TaskThread::Task helper = jobs.size() >= 8 ? second_.run([&] {
            RuleCompiler other(catalog_, program_);
            work(other);
        })
                                                   : TaskThread::Task();
        work(here);
        helper.get();
    }

    const TemplateCatalog& catalog_;
    std::vector<RuleDiagnostic>& errors_;
    Diagnostics diag_;
    SecondThread& second_;
    std::set<std::string> parsed_paths_;  // of the packs given (add_parsed)
    std::vector<LoadedPack> packs_;
    program::Program program_;
    std::vector<std::size_t> pack_of_program_;  // program pack index -> packs_ index
    std::set<std::size_t> current_bases_;  // closure() of the pack whose rules are being added
    std::unordered_map<std::string, std::vector<std::size_t>> rules_by_id_;  // indexes into program_.rules
    std::vector<SeverityGiven> severities_given_;  // by the overrides of the packs added so far
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
RuleSet compile_all(Sources& sources, const TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors,
                    SecondThread& second, Add add) {
    std::size_t before = errors.size();
    PackCompiler c(catalog, errors, second);
    for (auto& s : sources) add(c, s);
    auto program = c.compile();
    sort_by_position(errors, before);
    if (!program) return RuleSet();
    return RuleSet(std::move(program));
}

}  // namespace

RuleSet compile_rule_packs(const std::vector<std::string>& files, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors) {
    // Built while the packs are parsed, unless started already. Made before `second`,
    // which may borrow its thread: its end waits for the thread to be given back.
    RegexTablesWarmup regex_tables;
    SecondThread second;
    second.start();
    std::vector<ParsedPack> parsed = parse_pack_files(files, second);
    return compile_all(parsed, catalog, errors, second, [](PackCompiler& c, ParsedPack& p) { c.add_parsed(std::move(p)); });
}

RuleSet compile_rule_packs(const std::vector<PackText>& packs, const TemplateCatalog& catalog,
                           std::vector<RuleDiagnostic>& errors) {
    RegexTablesWarmup regex_tables;  // built while the packs load; made before `second`, as above
    SecondThread second;
    return compile_all(packs, catalog, errors, second, [](PackCompiler& c, const PackText& p) { c.add_text(p); });
}

}  // namespace gouji
