// gouji: audits government information-disclosure annual reports.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/commands.hpp"
#include "gouji/source.hpp"
#include "rules/names.hpp"

namespace {

// The command a mistyped name was meant as ("chek" → check): CLI11 says only that a
// subcommand is required, as if none had been given.
std::optional<std::string> unknown_command(int argc, char** argv, const CLI::App& app) {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--templates") {
            ++i;  // its value
            continue;
        }
        if (arg.starts_with('-')) continue;
        if (std::find(commands.begin(), commands.end(), arg) != commands.end()) return std::nullopt;
        std::string known;
        for (const auto& c : commands) known += (known.empty() ? "" : ", ") + c;
        return "gouji: error: unknown command '" + std::string(arg) + "'" + gouji::names::did_you_mean(arg, commands) +
               "; the commands are " + known + " (gouji --help)";
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    // A reader gone (`gouji check … | head`) is a write that fails, said on stderr
    // with exit 2 (docs/cli.md), not a death by signal with nothing said.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"gouji (勾稽) — audits 政府信息公开工作年度报告 against declarative rule packs"};
    app.set_version_flag("--version", std::string("gouji ") + GOUJI_VERSION);
    app.require_subcommand(1);
    gouji::cli::CommonOptions common;
    // One file per --templates, as for --pack. Given after the command too: the
    // commands have no --templates of their own, so it falls through to this one.
    app.add_option("--templates", common.template_files, "Extra template schema YAML file (added to rulepacks/templates.yaml); repeatable")
        ->allow_extra_args(false);
    app.fallthrough();
    int exit_code = gouji::cli::kExitOk;
    gouji::cli::register_explain(app, common, exit_code);
    gouji::cli::register_check(app, common, exit_code);
    if (auto unknown = unknown_command(argc, argv, app)) {
        std::cerr << *unknown << '\n';
        return gouji::cli::kExitInputError;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : gouji::cli::kExitInputError;
    } catch (const gouji::InputError& e) {
        std::cerr << e.describe() << '\n';
        return gouji::cli::kExitInputError;
    } catch (const std::exception& e) {
        std::cerr << "gouji: internal error: " << e.what() << " (please report it with the input file)\n";
        return 3;
    }
    return exit_code;
}
