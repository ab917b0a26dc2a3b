#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>

#include "engine/cli/commands.hpp"
#include "gouji/check.hpp"
#include "gouji/explain.hpp"
#include "gouji/readers.hpp"

namespace gouji::cli {

void register_explain(CLI::App& app, CommonOptions& common, int& exit_code) {
    struct Options {
        std::vector<std::string> files;
        std::string format = "text";
    };
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("explain", "Print the report model: metadata, sections, bound tables, figures");
    // --templates is the main command's (both commands read templates), so its own help would not show it.
    cmd->footer("Also --templates FILE (before or after the command, repeatable): an extra template schema YAML, "
                "added to rulepacks/templates.yaml (docs/templates.md)");
    cmd->add_option("files", options->files, "Report files (text, Markdown, HTML, DOCX, PDF)")->required();
    cmd->add_option("--format", options->format, "Output format: text (default) or json")
        ->option_text("text|json")
        ->check(one_of({"text", "json"}));
    cmd->callback([options, &common, &exit_code]() {
        TemplateCatalog catalog;
        std::vector<RuleDiagnostic> template_errors;
        if (!load_catalog(common, catalog, template_errors)) {
            std::cerr << render(template_errors);
            exit_code = kExitInputError;
            return;
        }
        // JSON of several files is an array written one report at a time, as
        // dump() would indent it, so that a large batch is never held in memory.
        // A file that cannot be read keeps its place: {"file", "error"}, the
        // error as check's JSON gives it, so the n-th object is the n-th file's.
        const bool json = options->format == "json";
        const bool one_file = options->files.size() == 1;
        std::size_t written = 0;
        for (const auto& given : options->files) {
            const std::string file = without_doubled_slashes(given);
            std::optional<nlohmann::ordered_json> entry;
            auto unreadable = [&](const InputError& e) {
                // One bad file must not stop the batch: say so on one line and go on.
                std::cerr << e.describe() << '\n';
                exit_code = kExitInputError;
                if (!json) return;
                entry.emplace();
                (*entry)["file"] = file;
                (*entry)["error"] = report_to_json(unreadable_report(file, e))["error"];
            };
            try {
                // The reader's "is a directory (check the path)" would send whoever named
                // a folder to look for a mistake in its path, which has none.
                if (std::error_code ec; std::filesystem::is_directory(file, ec))
                    throw InputError(file, SourcePos{}, "is a directory: explain takes report files, not folders",
                                     "name the report files in it, or audit them all with: gouji check " + file);
                if (is_yaml_extension(file))
                    throw yaml_given_as_report(file, "explain takes reports; to see what a pack's rules find, run "
                                                     "gouji check --pack " + file + " REPORT");
                ReportModel model = build_model(read_document(file), catalog);
                if (json) entry = model_to_json(model);
                else std::cout << explain_text(model) << std::flush;
            } catch (const InputError& e) {
                unreadable(e);
            } catch (const std::bad_alloc&) {
                unreadable(InputError(file, SourcePos{}, "not enough memory to read this report",
                                      "split it, or explain it on a machine with more memory"));
            }
            if (entry) {
                if (one_file) std::cout << json_text(*entry) << '\n';
                else std::cout << (written ? ",\n" : "[\n") << nested_json_text(*entry, 1) << std::flush;
                ++written;
            }
            if (!std::cout) break;  // nowhere to put the rest
        }
        if (json && !one_file) std::cout << (written ? "\n]" : "[]") << '\n';
        std::cout.flush();
        if (!std::cout && !reader_gone()) {  // a reader gone: what it read is what it wanted, and the code stands
            std::cerr << "gouji explain: error: could not write the model to standard output (is its disk full? free "
                         "some space, or write it elsewhere)\n";
            exit_code = kExitInputError;
        }
    });
}

}  // namespace gouji::cli
