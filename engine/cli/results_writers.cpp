// `gouji check --format`: the terminal listing and the JSON contract, and the
// choice among every format (include/gouji/outputs.hpp).
#include "engine/cli/results_writers.hpp"

#include <ostream>
#include <string_view>

#include "engine/cli/commands.hpp"

namespace gouji {

namespace cli {

namespace {

// Each report's listing as it is done, the batch's closing line at the end.
class TextWriter final : public ResultsWriter {
public:
    TextWriter(std::ostream& out, bool color) : out_(out), color_(color) {}
    std::string entry(const ReportFindings& report) const override { return findings_text(report, color_); }
    void write(const std::string& entry) override { out_ << entry << std::flush; }
    void close(const BatchTally& tally) override { out_ << batch_summary_text(tally, color_) << std::flush; }
    bool good() const override { return static_cast<bool>(out_); }
    bool quotes_source() const override { return true; }

private:
    std::ostream& out_;
    bool color_;
};

// `{"reports": [...]}` written an entry at a time, byte for byte as
// json_text(findings_to_json(all of them)) would print it: a folder of a hundred
// thousand reports must not be held in memory to be printed once.
class JsonWriter final : public ResultsWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) { out_ << head; }
    std::string entry(const ReportFindings& report) const override {
        return nested_json_text(report_to_json(report), 2);
    }
    void write(const std::string& entry) override {
        out_ << (first_ ? "\n" : ",\n") << entry << std::flush;
        first_ = false;
    }
    void close(const BatchTally& tally) override {
        // Nothing audited is exit 2: the JSON says why, as an unreadable report's
        // entry says its error (docs/findings.md), after the empty list.
        if (tally.only_passed_over()) {
            const ReportFindings why = unreadable_report("gouji check", no_reports_under_paths(tally));
            const std::string whole =
                json_text(nlohmann::ordered_json{{"reports", nlohmann::ordered_json::array()},
                                                 {"error", report_to_json(why)["error"]}});
            // What follows the empty list's "]", after the entries written (of --previous).
            out_ << (first_ ? "]" : "\n ]") << whole.substr(std::string_view(head).size() + 1) << std::flush;
            return;
        }
        out_ << (first_ ? "]\n}\n" : "\n ]\n}\n") << std::flush;
    }
    bool good() const override { return static_cast<bool>(out_); }

private:
    static constexpr const char* head = "{\n \"reports\": [";
    std::ostream& out_;
    bool first_ = true;
};

}  // namespace

InputError no_reports_under_paths(const BatchTally& tally) {
    return InputError("gouji check", SourcePos{},
                      "no reports under the paths given: " +
                          (tally.passed_over == 1 ? std::string("the file found there is")
                                                  : "the " + std::to_string(tally.passed_over) + " files found there are") +
                          " no report",
                      "give report files, or folders that hold some");
}

const std::vector<std::string>& output_formats() {
    static const std::vector<std::string> formats{"text", "json", "sarif", "junit", "html", "sqlite"};
    return formats;
}

bool writes_a_file_only(const std::string& format) { return format == "sqlite"; }

std::unique_ptr<ResultsWriter> make_results_writer(const std::string& format, std::ostream& out,
                                                   const std::string& output_path, const RunInfo& run, bool color) {
    if (format == "json") return std::make_unique<JsonWriter>(out);
    if (format == "sarif") return sarif_writer(out, run);
    if (format == "junit") return junit_writer(out, run);
    if (format == "html") return html_writer(out, run);
    if (format == "sqlite") return sqlite_writer(output_path, run);
    return std::make_unique<TextWriter>(out, color);
}

}  // namespace cli
}  // namespace gouji
