// The CLI's subcommands. Each registers itself on the app and returns the exit
// code through `exit_code` when it runs. Exit codes (docs/cli.md):
// 0 success / no error finding, 1 an error finding, 2 input or usage error;
// gouji diff's as diff(1)'s: 0 no difference, 1 differences, 2 input or usage error.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/output/json_text.hpp"
#include "gouji/diagnostic.hpp"
#include "gouji/source.hpp"
#include "gouji/template_schema.hpp"

namespace gouji::cli {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitDifferences = 1;
constexpr int kExitInputError = 2;

// Options every command that reads reports shares.
struct CommonOptions {
    std::vector<std::string> template_files;  // --templates: extra template schema files
    std::vector<std::string> command_line;    // argv, as the outputs that keep a run record it
};

// The standard templates plus those given, into `catalog`; false after a file with
// a problem, every problem of which is in `errors` (the files after it are not
// read: their errors could come from its).
bool load_catalog(const CommonOptions& options, TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors);

// engine/output/json_text.hpp: the one way gouji writes JSON.
using gouji::json_text;
using gouji::nested_json_text;

// A path as the user gave it, but with each run of '/' written as one: a folder
// given as "batch//" lists its reports as "batch/a.txt". ("./a.txt" stays.)
std::string without_doubled_slashes(std::string path);

// An option's value checked in gouji's words: the validator says "takes text or
// json, not 'xml'", which main.cpp's usage error puts after the option's name.
// CLI11's own ("xml not in {text,json}", "Value abc not in range 1 to 256") name
// neither what the option takes nor how to write it.
CLI::Validator one_of(std::vector<std::string> values);
CLI::Validator whole_number(std::size_t from, std::size_t to);

// Whether standard output is a pipe or socket whose reader has gone: `gouji … |
// head` is normal use, and what was written is all the reader wanted. Not so for
// a full disk, whose write fails too.
bool reader_gone();

// A path's extension in lower case (".docx" of "a.DOCX").
std::string lower_extension(const std::filesystem::path& p);

// A path whose extension is .yaml or .yml (case ignored): a rule pack or template
// file named where a report is wanted, never read as one.
bool is_yaml_extension(const std::string& path);
inline constexpr const char* kYamlAsReportHint =
    "give each pack with its own --pack FILE, a template file with --templates FILE";
InputError yaml_given_as_report(const std::string& path, const std::string& hint);

void register_explain(CLI::App& app, CommonOptions& common, int& exit_code);
void register_check(CLI::App& app, CommonOptions& common, int& exit_code);
void register_diff(CLI::App& app, int& exit_code);

}  // namespace gouji::cli
