// Reading what gouji check --format json wrote (docs/findings.md) for gouji diff.
// The file is parsed event by event into a tree in which each finding is held
// as its compact text, not as a tree of its own: as trees, a file's findings
// take three to four times the memory of their text.
#include <filesystem>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "gouji/diff.hpp"
#include "gouji/outputs.hpp"
#include "gouji/readers.hpp"
#include "gouji/source.hpp"

namespace gouji {

namespace {

using json = nlohmann::ordered_json;

// A check output is 8 levels deep (a finding's cell's value) and no object of
// it has 30 keys. Past these bounds a file is something else: a deep one would
// overflow the stack where a finding is written back as text, and an object of
// millions of keys take hours to read (an ordered object finds a key by
// looking at each).
constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxKeys = 256;

constexpr const char* kGiveCheckOutput = "give the file gouji check --format json wrote";

InputError not_check_output(const std::string& file, const std::string& what) {
    return InputError(file, SourcePos{}, "not an output of gouji check --format json: " + what, kGiveCheckOutput);
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 9:
// syntax error while parsing object key - unexpected '}'; expected string
// literal" without its head, whose column counts bytes, and without the "last
// read" it quotes, which may be a whole message of the file.
std::string parse_error_reason(std::string what) {
    if (const std::size_t at = what.find("parse error"); at != std::string::npos) {
        if (const std::size_t colon = what.find(": ", at); colon != std::string::npos) what.erase(0, colon + 2);
    } else if (what.starts_with("[json.exception.")) {
        // Another exception while parsing ("[json.exception.out_of_range.406] number
        // overflow parsing '1e999'"): its words without the library's tag.
        if (const std::size_t tag_end = what.find("] "); tag_end != std::string::npos) what.erase(0, tag_end + 2);
    }
    if (const std::size_t quoted = what.find("; last read: '"); quoted != std::string::npos) {
        const std::size_t end = what.rfind('\'');
        what = what.substr(0, quoted) + (end > quoted + 13 ? what.substr(end + 1) : std::string());
    }
    return what;
}

InputError not_json(const std::string& file, std::string_view text, std::size_t position, const std::string& what) {
    const std::string reason = parse_error_reason(what);
    // Lines and columns in characters, as gouji places everything (a copy of the
    // text, made only for the error).
    const SourceText source(file, std::string(text));
    // nlohmann counts from 1 and says one past the end when the text ran out.
    if (position > text.size())
        return InputError(file, source.position_of(text.size()), "not valid JSON: the file ends mid-way (" + reason + ")",
                          "it is cut off, as when gouji check is stopped while it writes: run gouji check --format json "
                          "again and let it finish");
    return InputError(file, source.position_of(position == 0 ? 0 : position - 1), "not valid JSON: " + reason,
                      kGiveCheckOutput);
}

// What is wrong with `finding` as a finding of a check output; "" when nothing.
std::string finding_problem(const json& finding) {
    if (!finding.is_object()) return "is not an object";
    for (const char* key : {"rule", "binding", "severity", "message"})
        if (auto it = finding.find(key); it == finding.end() || !it->is_string())
            return std::string("has no \"") + key + "\" (a string)";
    if (auto it = finding.find("assessable"); it == finding.end() || !it->is_boolean())
        return "has no \"assessable\" (true or false)";
    return {};
}

CheckedFinding checked_finding(const json& finding) {
    return {.rule = finding["rule"].get<std::string>(),
            .binding = finding["binding"].get<std::string>(),
            .severity = finding["severity"].get<std::string>(),
            .assessable = finding["assessable"].get<bool>(),
            .message = finding["message"].get<std::string>(),
            .json = finding.dump()};
}

// Builds the tree of a check output from the parser's events, as nlohmann's own
// builder does, but for two things: each finding that is one (the object of
// .reports[i].findings[j]) is kept aside as a CheckedFinding and stands in the
// tree as a binary value holding its index (JSON text has no binary values, so
// nothing else is taken for one); and depth and keys are bounded.
class ResultsTreeBuilder final : public nlohmann::json_sax<json> {
public:
    ResultsTreeBuilder(const std::string& file, std::string_view text) : file_(file), text_(text) {}

    json tree;
    std::vector<CheckedFinding> findings;

    bool null() override { return add(nullptr); }
    bool boolean(bool value) override { return add(value); }
    bool number_integer(number_integer_t value) override { return add(value); }
    bool number_unsigned(number_unsigned_t value) override { return add(value); }
    bool number_float(number_float_t value, const string_t&) override { return add(value); }
    bool string(string_t& value) override { return add(std::move(value)); }
    bool binary(binary_t& value) override { return add(std::move(value)); }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool key(string_t& key) override {
        if (open_.back()->size() >= kMaxKeys)
            throw not_check_output(file_, "an object has more than " + std::to_string(kMaxKeys) + " keys");
        key_ = std::move(key);
        return true;
    }
    bool end_object() override {
        json& closed = *open_.back();
        close();
        if (closes_a_finding()) set_aside(closed);
        return true;
    }
    bool end_array() override {
        close();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        throw not_json(file_, text_, position, e.what());
    }

private:
    // Where a value goes: the tree itself, the end of the open array, or the open object's key.
    json* place(json value) {
        if (open_.empty()) return &(tree = std::move(value));
        json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        return &(parent[key_] = std::move(value));
    }
    bool add(json value) {
        place(std::move(value));
        return true;
    }
    bool open(json container) {
        if (open_.size() >= kMaxDepth)
            throw not_check_output(file_, "it is nested more than " + std::to_string(kMaxDepth) + " levels deep");
        keys_.push_back(!open_.empty() && open_.back()->is_object() ? key_ : std::string());
        open_.push_back(place(std::move(container)));
        return true;
    }
    void close() {
        open_.pop_back();
        keys_.pop_back();
    }
    // Whether the object just closed is one of .reports[i].findings: the tree, its
    // "reports" array, a report, its "findings" array are what stay open.
    bool closes_a_finding() const {
        return open_.size() == 4 && open_[0]->is_object() && keys_[1] == "reports" && open_[1]->is_array() &&
               open_[2]->is_object() && keys_[3] == "findings" && open_[3]->is_array();
    }
    // One that is not what a finding is stays as it is, for the reading of the
    // tree to say what it lacks and where.
    void set_aside(json& finding) {
        if (!finding_problem(finding).empty()) return;
        findings.push_back(checked_finding(finding));
        finding = json::binary(json::binary_t::container_type{}, findings.size() - 1);
    }

    const std::string& file_;
    std::string_view text_;
    std::vector<json*> open_;        // the arrays and objects not closed yet, outermost first
    std::vector<std::string> keys_;  // the key each of them is under in its object ("" in an array)
    std::string key_;                // the key of the next value of the open object
};

bool flag(const json& entry, const char* key) {
    const auto it = entry.find(key);
    return it != entry.end() && it->is_boolean() && it->get<bool>();
}

json value_or_null(const json& entry, const char* key) {
    const auto it = entry.find(key);
    return it == entry.end() ? json() : *it;
}

// `.reports[3]`, as jq writes the place, with the report it is of.
std::string place_of(std::size_t report, const std::string& file) {
    return ".reports[" + std::to_string(report) + "]" + (file.empty() ? "" : " (\"" + file + "\")");
}

std::vector<CheckedFinding> entry_findings(const std::string& input, const json& entry, std::size_t index,
                                           const std::string& file, std::vector<CheckedFinding>& set_aside) {
    const auto list = entry.find("findings");
    if (list == entry.end() || !list->is_array())
        throw not_check_output(input, place_of(index, file) + " has no \"findings\" (an array)");
    std::vector<CheckedFinding> findings;
    findings.reserve(list->size());
    for (std::size_t j = 0; j < list->size(); ++j) {
        const json& finding = (*list)[j];
        if (!finding.is_binary())
            throw not_check_output(input, ".reports[" + std::to_string(index) + "].findings[" + std::to_string(j) +
                                              "] (of \"" + file + "\") " + finding_problem(finding));
        findings.push_back(std::move(set_aside.at(finding.get_binary().subtype())));
    }
    return findings;
}

CheckedEntry checked_entry(const std::string& input, const json& entry, std::size_t index,
                           std::vector<CheckedFinding>& set_aside) {
    if (!entry.is_object()) throw not_check_output(input, place_of(index, "") + " is not an object");
    const auto file = entry.find("file");
    if (file == entry.end() || !file->is_string())
        throw not_check_output(input, place_of(index, "") + " has no \"file\" (a string)");
    CheckedEntry checked;
    checked.file = file->get<std::string>();
    checked.folder = flag(entry, "folder");
    checked.previous_year = flag(entry, "previous_year");
    checked.template_id = value_or_null(entry, "template");
    checked.error = value_or_null(entry, "error");
    if (const auto errors = entry.find("rule_errors"); errors != entry.end() && errors->is_array())
        checked.rule_errors = *errors;
    checked.findings = entry_findings(input, entry, index, checked.file, set_aside);
    return checked;
}

// gouji check's text output begins with a report's header, or, with no report,
// its closing line.
bool is_check_text_output(std::string_view text) {
    return text.starts_with("── ") || text.starts_with("\x1b[1m── ") || text.starts_with("checked ");
}

// Which other output of gouji check `text` is, by how each format starts
// (engine/output/findings_*.cpp), said as the refusal says it; "" for none.
std::string_view other_check_output(std::string_view text) {
    const std::string_view head = text.substr(0, 1024);
    if (head.starts_with("{\n \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\"") &&
        head.find("\"name\": \"gouji\"") != std::string_view::npos)
        return "the SARIF output of gouji check (--format sarif), not its JSON";
    if (head.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gouji check\">"))
        return "the JUnit XML output of gouji check (--format junit), not its JSON";
    if (head.starts_with("<!DOCTYPE html>") && head.find(html_page_generator) != std::string_view::npos)
        return "the HTML page of gouji check (--format html), not its JSON";
    if (head.starts_with(std::string_view("SQLite format 3\0", 16)))
        return "an SQLite database (as gouji check --format sqlite writes), not the JSON of gouji check";
    return {};
}

}  // namespace

CheckResults parse_check_results(const std::string& file, std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw InputError(file, SourcePos{}, text.empty() ? "file is empty" : "file holds only white space",
                         "give the file gouji check --format json wrote; if it wrote this one, it was stopped before "
                         "it wrote anything: run it again and let it finish");
    if (is_check_text_output(text))
        throw InputError(file, SourcePos{}, "this is the text output of gouji check, not its JSON",
                         "run gouji check with --format json, e.g. gouji check --format json reports/ > " + file);
    if (const std::string_view other = other_check_output(text); !other.empty())
        throw InputError(file, SourcePos{}, "this is " + std::string(other),
                         "gouji diff compares the JSON: run gouji check with --format json, e.g. gouji check --format "
                         "json reports/ > after.json, and give that file");
    ResultsTreeBuilder builder(file, text);
    json::sax_parse(text.data(), text.data() + text.size(), &builder);
    const json& tree = builder.tree;
    const auto reports = tree.is_object() ? tree.find("reports") : tree.end();
    if (!tree.is_object() || reports == tree.end() || !reports->is_array())
        throw not_check_output(file, "it has no \"reports\" array");
    CheckResults results{.file = file, .entries = {}};
    results.entries.reserve(reports->size());
    for (std::size_t i = 0; i < reports->size(); ++i)
        results.entries.push_back(checked_entry(file, (*reports)[i], i, builder.findings));
    return results;
}

CheckResults read_check_results(const std::string& path) {
    // "-" would be standard input to diff(1); here, as for gouji check, inputs are files.
    if (std::error_code ec; path == "-" && !std::filesystem::exists(path, ec))
        throw InputError(path, SourcePos{}, "results are not read from standard input",
                         "save them to a file and give its path, e.g. gouji check --format json reports/ > after.json");
    if (std::error_code ec; std::filesystem::is_directory(path, ec))
        throw InputError(path, SourcePos{}, "is a directory, not a file of results",
                         "give the files gouji check --format json wrote: gouji diff BEFORE.json AFTER.json");
    constexpr const char* kSplit =
        "check the reports in parts, a folder at a time, and compare the results of each part";
    try {
        return parse_check_results(path, read_file_bytes(path, ReadLimits{.max_file_bytes = kMaxCheckResultsBytes}, kSplit));
    } catch (const std::bad_alloc&) {
        throw InputError(path, SourcePos{}, "not enough memory to read these results", kSplit);
    }
}

}  // namespace gouji
