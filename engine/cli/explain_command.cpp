#include <fmt/format.h>

#include <iostream>
#include <new>

#include "engine/cli/commands.hpp"
#include "gouji/explain.hpp"
#include "gouji/readers.hpp"

namespace gouji::cli {

std::string json_text(const nlohmann::ordered_json& j) { return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace); }

TemplateCatalog load_catalog(const CommonOptions& options) {
    TemplateCatalog catalog = load_templates(default_rulepack_dir() + "/templates.yaml");
    for (const auto& file : options.template_files) load_templates_into(catalog, file);
    return catalog;
}

void register_explain(CLI::App& app, CommonOptions& common, int& exit_code) {
    struct Options {
        std::vector<std::string> files;
        std::string format = "text";
    };
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("explain", "Print the report model: metadata, sections, bound tables, figures");
    cmd->add_option("files", options->files, "Report files (text, Markdown, HTML, DOCX, PDF)")->required();
    cmd->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([options, &common, &exit_code]() {
        TemplateCatalog catalog;
        try {
            catalog = load_catalog(common);
        } catch (const InputError& e) {
            std::cerr << e.describe() << '\n';
            exit_code = kExitInputError;
            return;
        }
        nlohmann::ordered_json reports = nlohmann::ordered_json::array();
        for (const auto& file : options->files) {
            // One bad file must not stop the batch: say so on one line and go on.
            try {
                ReportModel model = build_model(read_document(file), catalog);
                if (options->format == "json") reports.push_back(model_to_json(model));
                else std::cout << explain_text(model) << std::flush;
            } catch (const InputError& e) {
                std::cerr << e.describe() << '\n';
                exit_code = kExitInputError;
            } catch (const std::bad_alloc&) {
                std::cerr << InputError(file, SourcePos{}, "not enough memory to read this report",
                                        "split it, or explain it on a machine with more memory")
                                 .describe()
                          << '\n';
                exit_code = kExitInputError;
            }
            if (!std::cout) break;  // nowhere to put the rest
        }
        if (options->format == "json") std::cout << json_text(options->files.size() == 1 && reports.size() == 1 ? reports[0] : reports) << '\n';
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "gouji explain: error: could not write the model to standard output (disk full or pipe closed)\n";
            exit_code = kExitInputError;
        }
    });
}

}  // namespace gouji::cli
