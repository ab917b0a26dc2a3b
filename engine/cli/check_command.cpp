#include "engine/cli/commands.hpp"

namespace gouji::cli {

// Placeholder until the rule engine lands: registered so --help lists it.
void register_check(CLI::App& app, CommonOptions&, int& exit_code) {
    CLI::App* cmd = app.add_subcommand("check", "Audit reports against the rule packs (not yet available)");
    cmd->callback([&exit_code]() { exit_code = kExitInputError; });
}

}  // namespace gouji::cli
