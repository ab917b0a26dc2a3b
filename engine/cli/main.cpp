// gouji: audits government information-disclosure annual reports.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "engine/cli/commands.hpp"
#include "gouji/source.hpp"

int main(int argc, char** argv) {
    // A reader gone (`gouji check … | head`) is a write that fails, said on stderr
    // with exit 2 (docs/cli.md), not a death by signal with nothing said.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"gouji (勾稽) — audits 政府信息公开工作年度报告 against declarative rule packs"};
    app.set_version_flag("--version", std::string("gouji ") + GOUJI_VERSION);
    app.require_subcommand(1);
    gouji::cli::CommonOptions common;
    // One file per --templates, as for --pack.
    app.add_option("--templates", common.template_files, "Extra template schema YAML file (added to rulepacks/templates.yaml); repeatable")
        ->allow_extra_args(false);
    int exit_code = gouji::cli::kExitOk;
    gouji::cli::register_explain(app, common, exit_code);
    gouji::cli::register_check(app, common, exit_code);
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
