// gouji: audits government information-disclosure annual reports.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/commands.hpp"
#include "gouji/memory.hpp"
#include "gouji/source.hpp"
#include "rules/names.hpp"

namespace {

// The commands, by name.
std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
    return commands;
}

// "explain, check": the commands as the errors list them.
std::string listed_commands(const CLI::App& app) {
    std::string known;
    for (const auto& c : command_names(app)) known += (known.empty() ? "" : ", ") + c;
    return known;
}

// The index in argv of the command, the first argument that is not an option
// of the main command (nor --templates' value); argc when there is none.
int command_index(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--templates") ++i;  // its value
        else if (!arg.starts_with('-')) return i;
    }
    return argc;
}

// The command a mistyped name was meant as ("chek" → check): CLI11 says only that a
// subcommand is required, as if none had been given.
std::optional<std::string> unknown_command(int argc, char** argv, const CLI::App& app) {
    const int at = command_index(argc, argv);
    if (at == argc) return std::nullopt;
    const std::string_view arg = argv[at];
    const std::vector<std::string> commands = command_names(app);
    if (std::find(commands.begin(), commands.end(), arg) != commands.end()) return std::nullopt;
    return "gouji: error: unknown command '" + std::string(arg) + "'" + gouji::names::did_you_mean(arg, commands) +
           "; the commands are " + listed_commands(app) + " (gouji --help)";
}

// The options of the main command and of `command` (may be null), found by how
// an argument spells them ("--jobs", "-j").
class KnownOptions {
public:
    KnownOptions(const CLI::App& app, const CLI::App* command) {
        for (const CLI::App* a : {&app, command})
            if (a)
                for (const CLI::Option* o : a->get_options()) options_.push_back(o);
    }
    const CLI::Option* find(const std::string& spelling) const {
        const bool long_name = spelling.starts_with("--");
        const std::string name = spelling.substr(long_name ? 2 : 1);
        for (const CLI::Option* o : options_) {
            const auto& names = long_name ? o->get_lnames() : o->get_snames();
            if (std::find(names.begin(), names.end(), name) != names.end()) return o;
        }
        return nullptr;
    }
    // The long ones: what a mistyped long one was meant as.
    std::vector<std::string> long_spellings() const {
        std::vector<std::string> spellings;
        for (const CLI::Option* o : options_)
            for (const auto& l : o->get_lnames()) spellings.push_back("--" + l);
        return spellings;
    }

private:
    std::vector<const CLI::Option*> options_;
};

// The command named in argv, null when there is none.
const CLI::App* named_command(int argc, char** argv, const CLI::App& app) {
    const int at = command_index(argc, argv);
    if (at < argc)
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
            if (sub->get_name() == argv[at]) return sub;
    return nullptr;
}

// Whether `option` takes a value: a flag (--no-standard, --help) expects none.
bool takes_value(const CLI::Option* option) { return option->get_expected_max() != 0; }

// The option each argument of argv is, in turn, with its value: `seen` is called
// with the spelling ("--jobs", "-j"), the option (null when
// neither command has it), and its value: attached ("--jobs=4", "-j4"; "" for
// "--jobs="), or the next argument, taken whatever it looks like as CLI11 takes a
// value it needs ("--pack --x.yaml"), or none (a flag; the last argument). The walk
// stops at "--" (the rest are paths) and when `seen` returns false.
template <typename Seen>
void walk_options(int argc, char** argv, const KnownOptions& known, Seen seen) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") break;
        if (arg.size() < 2 || arg[0] != '-') continue;
        const bool long_name = arg.starts_with("--");
        const std::string spelling = long_name ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
        const CLI::Option* option = known.find(spelling);
        std::optional<std::string> value;
        if (spelling != arg) value = arg.substr(spelling.size() + (long_name ? 1 : 0));
        else if (option && takes_value(option) && i + 1 < argc) value = argv[++i];
        if (!seen(spelling, option, value)) return;
    }
}

// The first option in argv that neither the main command nor `command` (may be
// null) has, said with the one meant: CLI11 reports "check --bogus" as "paths is
// required", and "--bogus check" as an argument not expected.
std::optional<std::string> unknown_option(int argc, char** argv, const CLI::App& app, const CLI::App* command) {
    const KnownOptions known(app, command);
    std::optional<std::string> unknown;
    walk_options(argc, argv, known, [&](const std::string& spelling, const CLI::Option* option, const auto&) {
        if (!option)
            unknown = "unknown option '" + spelling + "'" +
                      (spelling.starts_with("--") ? gouji::names::did_you_mean(spelling, known.long_spellings()) : "");
        return !unknown;
    });
    return unknown;
}

// The first option in argv given an empty value, of any command: "--output=",
// which CLI11 reads as "--output" alone and so takes the next argument as its
// value (`--output="$OUT"` with OUT unset wrote the results over the first
// report, and exited 0), and "--output ''" or "-o ''" (the results went to
// standard output). A flag given "=" is given a value it does not take. Before
// the first unknown option, which CLI11's error then says.
std::optional<std::string> empty_value(int argc, char** argv, const CLI::App& app, const CLI::App* command) {
    std::optional<std::string> empty;
    walk_options(argc, argv, KnownOptions(app, command),
                 [&](const std::string&, const CLI::Option* option, const std::optional<std::string>& value) {
                     if (!option) return false;
                     if (value && value->empty()) {
                         const std::string name = option->get_name();
                         empty = takes_value(option) ? name + " needs a value"
                                                     : name + " takes no value: write " + name + " alone";
                     }
                     return !empty;
                 });
    return empty;
}

// A usage error of `command` (null: of gouji itself), said as gouji's other errors
// are: "gouji check: error: … (gouji check --help)".
std::string usage_line(const CLI::App* command, const std::string& what) {
    const std::string who = command ? "gouji " + command->get_name() : "gouji";
    return who + ": error: " + what + " (" + who + " --help)";
}

// "--pack needs a value" for CLI11's "--pack: 1 required TEXT missing".
std::optional<std::string> missing_value(const std::string& what) {
    const std::size_t colon = what.find(": ");
    if (!what.starts_with('-') || colon == std::string::npos || !what.ends_with(" missing") ||
        what.find(" required ", colon) == std::string::npos)
        return std::nullopt;
    return what.substr(0, colon) + " needs a value";
}

// "--jobs takes a whole number from 1 to 256, not 'abc'" for the validators' (one_of,
// whole_number) "--jobs: takes …", "--format is given more than once" for CLI11's
// "--format: At Most 1 required but received 2", and "--no-standard takes no
// value" for its "no-standard was given a disallowed flag override".
std::optional<std::string> bad_value(const std::string& what) {
    // A flag given a value (--no-standard=no), which CLI11 names without its dashes.
    if (constexpr std::string_view overridden = " was given a disallowed flag override"; what.ends_with(overridden)) {
        const std::string option = "--" + what.substr(0, what.size() - overridden.size());
        return option + " takes no value: write " + option + " alone";
    }
    const std::size_t colon = what.find(": ");
    if (!what.starts_with('-') || colon == std::string::npos) return std::nullopt;
    const std::string option = what.substr(0, colon), said = what.substr(colon + 2);
    if (said.starts_with("takes ")) return option + " " + said;
    if (said.starts_with("At Most 1 required but received "))
        return option + " is given more than once: give it once";
    return std::nullopt;
}

// What a command was given too few of, for CLI11's "paths is required" (or
// diff's "before is required", "after is required").
std::string missing_inputs(const std::string& command, const std::string& what) {
    if (command == "check") return "no report given: name the report files or folders to check";
    if (command == "explain") return "no report given: name the report files to explain";
    return what.starts_with("after ")
               ? "only one result given: name the two outputs of gouji check --format json to compare"
               : "no results given: name the two outputs of gouji check --format json to compare";
}

// CLI11's usage error in words of its own where CLI11's mislead.
std::string usage_error(const CLI::ParseError& e, int argc, char** argv, const CLI::App& app) {
    const CLI::App* command = named_command(argc, argv, app);
    std::string what = e.what();
    if (auto unknown = unknown_option(argc, argv, app, command)) {
        what = *unknown;
    } else if (!command && what == "A subcommand is required") {
        what = "no command given: the commands are " + listed_commands(app);
    } else if (auto value = missing_value(what)) {
        what = *value;
    } else if (auto bad = bad_value(what)) {
        what = *bad;
    } else if (command && what.ends_with(" is required") && !what.starts_with('-')) {  // the files or paths
        what = missing_inputs(command->get_name(), what);
    } else if (command && command->get_name() == "diff" && what.starts_with("The following argument")) {
        what = "diff compares two results, not more: name only the two outputs of gouji check --format json";
    }
    return usage_line(command, what);
}

}  // namespace

int main(int argc, char** argv) {
    gouji::back_heaps_with_huge_pages();
    // A reader gone (`gouji check … | head`) is a write that fails, after which gouji
    // stops with the exit code of what it wrote (docs/cli.md), not a death by
    // signal whose code (141) says nothing of the reports.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"gouji (勾稽) — audits 政府信息公开工作年度报告 against declarative rule packs"};
    app.set_version_flag("--version", std::string("gouji ") + GOUJI_VERSION);
    app.require_subcommand(1);
    gouji::cli::CommonOptions common;
    common.command_line.assign(argv, argv + argc);
    // One file per --templates, as for --pack. Given after the command too: the
    // commands have no --templates of their own, so it falls through to this one.
    app.add_option("--templates", common.template_files,
                   "Extra template schema YAML file (added to rulepacks/templates.yaml); repeatable, one file each")
        ->allow_extra_args(false)
        ->option_text("FILE");
    app.fallthrough();
    int exit_code = gouji::cli::kExitOk;
    gouji::cli::register_explain(app, common, exit_code);
    gouji::cli::register_check(app, common, exit_code);
    gouji::cli::register_diff(app, exit_code);
    if (auto unknown = unknown_command(argc, argv, app)) {
        std::cerr << *unknown << '\n';
        return gouji::cli::kExitInputError;
    }
    if (const CLI::App* command = named_command(argc, argv, app); auto empty = empty_value(argc, argv, app, command)) {
        std::cerr << usage_line(command, *empty) << '\n';
        return gouji::cli::kExitInputError;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version are "errors" that exit 0 with their text.
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
        std::cerr << usage_error(e, argc, argv, app) << '\n';
        return gouji::cli::kExitInputError;
    } catch (const gouji::InputError& e) {
        std::cerr << e.describe() << '\n';
        return gouji::cli::kExitInputError;
    } catch (const std::exception& e) {
        std::cerr << "gouji: internal error: " << e.what() << " (please report it with the input file)\n";
        return 3;
    }
    return exit_code;
}
