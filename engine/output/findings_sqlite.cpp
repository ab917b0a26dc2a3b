// `gouji check --format sqlite --output FILE`: the results kept in a database,
// each run beside the runs before it (docs/sqlite.md is the contract: tables,
// columns, what a NULL means). A report's rows are committed once it is written,
// so a batch stopped halfway keeps every report before the stop, and its run
// says it did not finish (finished_utc NULL).
//
// The values are those of the JSON contract (report_to_json), so a column means
// exactly what the JSON field of its name means; the few the JSON has not (year,
// agency, the check counts) are added beside it.
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "gouji/outputs.hpp"

namespace gouji {

namespace {

using json = nlohmann::ordered_json;

// The schema this build writes. A database of a later schema is refused (a
// newer gouji made it); one of an earlier schema is brought up to this one.
// 2: latest_reports tells a file apart by its run's working directory too, and
// runs and reports count the findings --min-severity left out.
constexpr int schema_version = 2;

constexpr const char* schema_sql = R"sql(
CREATE TABLE gouji_schema (version INTEGER NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  tool_version TEXT NOT NULL,
  command_line TEXT NOT NULL,
  working_directory TEXT NOT NULL,
  packs TEXT NOT NULL,
  reports INTEGER, unreadable INTEGER, unreadable_folders INTEGER, rule_errors INTEGER, passed_over INTEGER,
  errors INTEGER, warnings INTEGER, infos INTEGER, not_assessable INTEGER,
  findings_below_min_severity INTEGER
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  position INTEGER NOT NULL,
  file TEXT NOT NULL,
  folder INTEGER NOT NULL,
  previous_year INTEGER NOT NULL,
  template TEXT,
  year INTEGER,
  agency TEXT,
  format TEXT,
  previous TEXT,
  reader_warnings TEXT,
  error TEXT, error_message TEXT, error_hint TEXT, error_line INTEGER, error_column INTEGER,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL, not_assessable INTEGER NOT NULL,
  rules_run INTEGER, checks INTEGER, passed INTEGER, failed INTEGER, skipped_by_when INTEGER,
  findings_below_min_severity INTEGER
);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  position INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  kind TEXT NOT NULL,
  assessable INTEGER NOT NULL,
  message TEXT NOT NULL,
  line INTEGER, "column" INTEGER, page INTEGER,
  section TEXT, "table" TEXT, "row" TEXT, column_label TEXT,
  binding TEXT, pack TEXT, title TEXT, basis TEXT, tags TEXT, severity_from TEXT,
  difference REAL,
  suggestion TEXT,
  suggestion_table TEXT, suggestion_row TEXT, suggestion_column TEXT,
  suggestion_current REAL, suggestion_value REAL
);
CREATE TABLE cells (
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  "table" TEXT, "row" TEXT, column_label TEXT,
  number REAL, decimals INTEGER, "value" TEXT,
  text TEXT,
  line INTEGER, "column" INTEGER, page INTEGER,
  file TEXT,
  coefficient REAL
);
CREATE TABLE rule_errors (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  rule TEXT, file TEXT NOT NULL, line INTEGER, "column" INTEGER, message TEXT NOT NULL, hint TEXT, text TEXT NOT NULL
);
CREATE INDEX reports_by_run ON reports(run_id);
CREATE INDEX reports_by_file ON reports(file);
CREATE INDEX findings_by_report ON findings(report_id);
CREATE INDEX findings_by_rule ON findings(rule);
CREATE INDEX cells_by_finding ON cells(finding_id);
CREATE INDEX rule_errors_by_report ON rule_errors(report_id);
CREATE VIEW finding_list AS
  SELECT runs.id AS run_id, runs.started_utc, reports.file, reports.template, reports.year, reports.agency,
         findings.rule, findings.binding, findings.severity, findings.kind, findings.assessable,
         findings.message, findings.line, findings."column", findings.section,
         findings."table", findings."row", findings.column_label, findings.id AS finding_id
  FROM findings JOIN reports ON reports.id = findings.report_id JOIN runs ON runs.id = reports.run_id;
)sql";

// A report is its file as given and where that path starts: `reports/county.md`
// of two working directories is two files (an absolute path is one wherever).
constexpr const char* latest_reports_sql = R"sql(
CREATE VIEW latest_reports AS
  SELECT reports.*, runs.working_directory FROM reports JOIN runs ON runs.id = reports.run_id
  WHERE reports.id = (SELECT r.id FROM reports r JOIN runs u ON u.id = r.run_id
                      WHERE r.file = reports.file
                        AND (u.working_directory = runs.working_directory OR substr(r.file, 1, 1) = '/')
                      ORDER BY r.run_id DESC, r.id DESC LIMIT 1);
)sql";

// A database of schema 1 brought up to 2: what was added is at the end of its
// table, as in a new one, and the view made anew.
constexpr const char* from_schema_1_sql = R"sql(
ALTER TABLE runs ADD COLUMN findings_below_min_severity INTEGER;
ALTER TABLE reports ADD COLUMN findings_below_min_severity INTEGER;
DROP VIEW latest_reports;
)sql";

struct DatabaseCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// An SQLite failure, said in the words of what was being done.
class SqliteFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A prepared statement's parameters bound in order from the JSON values that
// hold them: null and absent as NULL, booleans as 0/1, arrays and objects as
// their JSON text.
class Binder {
public:
    Binder(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) { sqlite3_reset(s_); }
    Binder& operator()(const json& v) {
        ++at_;
        int rc = SQLITE_OK;
        if (v.is_null()) rc = sqlite3_bind_null(s_, at_);
        else if (v.is_boolean()) rc = sqlite3_bind_int(s_, at_, v.get<bool>() ? 1 : 0);
        else if (v.is_number_integer() || v.is_number_unsigned()) rc = sqlite3_bind_int64(s_, at_, v.get<long long>());
        else if (v.is_number_float()) rc = sqlite3_bind_double(s_, at_, v.get<double>());
        else if (v.is_string()) {
            const auto& text = v.get_ref<const std::string&>();
            rc = sqlite3_bind_text(s_, at_, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        } else {
            const std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
            rc = sqlite3_bind_text(s_, at_, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK) throw SqliteFailure(sqlite3_errmsg(db_));
        return *this;
    }
    // Runs the statement; the row id it inserted.
    sqlite3_int64 run() {
        if (sqlite3_step(s_) != SQLITE_DONE) throw SqliteFailure(sqlite3_errmsg(db_));
        sqlite3_clear_bindings(s_);
        return sqlite3_last_insert_rowid(db_);
    }

private:
    sqlite3* db_;
    sqlite3_stmt* s_;
    int at_ = 0;
};

const json& field(const json& j, const char* key) {
    static const json none;
    auto it = j.find(key);
    return it == j.end() ? none : *it;
}

// A JSON position's line or column, NULL when the JSON says 0 (not known).
json position(const json& j, const char* key) {
    const json& v = field(j, key);
    return v.is_number() && v.get<long long>() > 0 ? v : json();
}

// Written in the header of every database gouji makes ("gouj"), so that a file
// of another program is never taken for one of ours.
constexpr int application_id = 0x676F756A;

// A single integer a query gives.
long long integer_of(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) throw SqliteFailure(sqlite3_errmsg(db));
    Statement statement(raw);
    if (sqlite3_step(raw) != SQLITE_ROW) throw SqliteFailure(sqlite3_errmsg(db));
    return sqlite3_column_int64(raw, 0);
}

// The schema version of the database gouji made: 0 when it holds nothing yet,
// -1 when it is not one gouji made.
int schema_of(sqlite3* db, bool file_was_empty) {
    if (integer_of(db, "SELECT count(*) FROM sqlite_master") == 0)
        // A database with no table may still be another program's (it set its
        // user_version, or made it and will fill it): only a file that did not
        // exist, or had no byte, is ours to make.
        return file_was_empty ? 0 : -1;
    if (integer_of(db, "PRAGMA application_id") != application_id) return -1;
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM gouji_schema", -1, &raw, nullptr) != SQLITE_OK) return -1;
    Statement version(raw);
    if (sqlite3_step(raw) != SQLITE_ROW || sqlite3_column_type(raw, 0) != SQLITE_INTEGER) return -1;
    return sqlite3_column_int(raw, 0);
}

class SqliteWriter final : public ResultsWriter {
public:
    SqliteWriter(const std::string& path, const RunInfo& run) : path_(path) {
        std::error_code absent;
        const bool file_was_empty = std::filesystem::file_size(path, absent) == 0 || absent;
        sqlite3* raw = nullptr;
        // SQLite reads ":memory:" as no file at all and, built with SQLITE_USE_URI as
        // Debian's is, "file:…" as a URI ("file:a.db?mode=memory" is in memory too):
        // the results would be "written" nowhere. Given as ./NAME, a name is a file.
        const std::string file = path.starts_with('/') ? path : "./" + path;
        const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK) refuse(raw ? sqlite3_errmsg(raw) : "out of memory");
        sqlite3_busy_timeout(db_.get(), 10000);  // another gouji writing the same file: wait, do not fail
        try {
            exec("PRAGMA foreign_keys = ON");
            // Read and, for a new file, made under the write lock: two runs started
            // at once on a new file must not both make the tables.
            exec("BEGIN IMMEDIATE");
            // A database made by something else is not written into: its tables
            // may share our names, and a user's file would be changed by a typo.
            const int version = schema_of(db_.get(), file_was_empty);
            if (version < 0)
                refuse("it is a database, but not one gouji made",
                       "give a new file name, or a database gouji wrote before");
            if (version > schema_version)
                refuse("it was made by a newer gouji (schema " + std::to_string(version) + "; this one writes " +
                           std::to_string(schema_version) + ")",
                       "write it with that gouji, or give a new file name");
            if (version == 0) {
                exec(schema_sql);
                exec(latest_reports_sql);
                exec("INSERT INTO gouji_schema VALUES (" + std::to_string(schema_version) + ")");
                exec("PRAGMA application_id = " + std::to_string(application_id));
            } else if (version == 1) {
                exec(from_schema_1_sql);
                exec(latest_reports_sql);
                exec("UPDATE gouji_schema SET version = " + std::to_string(schema_version));
            }
            exec("COMMIT");
            // A commit per report must not cost a disk flush per report (16 ms each
            // here: a batch 2.5 times slower than its JSON). In WAL mode with
            // synchronous NORMAL a commit is in the file once the OS has it: a killed
            // gouji loses nothing committed, a power cut at most the last commits,
            // and the database stays whole either way. The mode stays with the
            // file (docs/sqlite.md): switching back at the end would need every
            // other run on it to have ended. Where it cannot be switched (another
            // program holds the file), the run writes in the file's own mode.
            sqlite3_exec(db_.get(), "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
            exec("PRAGMA synchronous = NORMAL");
            prepare();
            json arguments = run.arguments;
            const json packs = packs_to_json(run.packs);
            run_id_ = Binder(db_.get(), insert_run_.get())(run.started_utc)(run.tool_version)(arguments)(
                          run.working_directory)(packs)
                          .run();
        } catch (const SqliteFailure& e) {
            if (sqlite3_errcode(db_.get()) == SQLITE_BUSY)
                refuse(e.what(), "another program has held it for 10 s: let it finish, or give another file");
            refuse(e.what());
        }
    }

    std::string entry(const ReportFindings& report) const override {
        json j = report_to_json(report);
        j["year"] = report.year ? json(report.year) : json();
        j["agency"] = report.agency.empty() ? json() : json(report.agency);
        j["format"] = report.format.empty() ? json() : json(report.format);
        j["stats"] = {{"rules_run", report.stats.rules_run},
                      {"checks", report.stats.checks},
                      {"passed", report.stats.passed},
                      {"failed", report.stats.failed},
                      {"skipped_by_when", report.stats.skipped_by_when}};
        j["findings_below_min_severity"] = report.findings_not_shown;
        // As the JSON output does: a byte that is not UTF-8 (a GBK file name) is U+FFFD.
        return j.dump(-1, ' ', false, json::error_handler_t::replace);
    }

    void write(const std::string& entry) override {
        if (!failure_.empty()) return;
        try {
            const json report = json::parse(entry);
            exec("BEGIN IMMEDIATE");
            insert(report);
            exec("COMMIT");
        } catch (const std::exception& e) {
            failure_ = e.what();
            sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }

    void close(const BatchTally& tally) override {
        if (!failure_.empty()) return;
        try {
            Binder(db_.get(), finish_run_.get())(utc_now_iso8601())(tally.reports)(tally.unreadable)(
                tally.unreadable_folders)(tally.rule_errors)(tally.passed_over)(tally.findings.errors)(tally.findings.warnings)(
                tally.findings.infos)(tally.findings.not_assessable)(tally.findings_not_shown)(run_id_)
                .run();
        } catch (const std::exception& e) {
            failure_ = e.what();
        }
    }

    bool good() const override { return failure_.empty(); }
    std::string failure() const override { return failure_; }

private:
    [[noreturn]] void refuse(const std::string& why,
                             const std::string& hint = "check the file is a gouji database and may be written to, "
                                                       "or give a new file name") {
        throw InputError(path_, SourcePos{}, "cannot keep the results in this database: " + why, hint);
    }

    void exec(const std::string& sql) {
        char* message = nullptr;
        if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string why = message ? message : sqlite3_errmsg(db_.get());
            sqlite3_free(message);
            throw SqliteFailure(why);
        }
    }

    Statement statement(const char* sql) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr) != SQLITE_OK)
            throw SqliteFailure(sqlite3_errmsg(db_.get()));
        return Statement(raw);
    }

    void prepare() {
        insert_run_ = statement(
            "INSERT INTO runs (started_utc, tool_version, command_line, working_directory, packs) "
            "VALUES (?, ?, ?, ?, ?)");
        finish_run_ = statement(
            "UPDATE runs SET finished_utc = ?, reports = ?, unreadable = ?, unreadable_folders = ?, rule_errors = ?, "
            "passed_over = ?, errors = ?, warnings = ?, infos = ?, not_assessable = ?, findings_below_min_severity = ? "
            "WHERE id = ?");
        insert_report_ = statement(
            "INSERT INTO reports (run_id, position, file, folder, previous_year, template, year, agency, format, "
            "previous, reader_warnings, error, error_message, error_hint, error_line, error_column, errors, warnings, "
            "infos, not_assessable, rules_run, checks, passed, failed, skipped_by_when, findings_below_min_severity) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert_finding_ = statement(
            "INSERT INTO findings (report_id, position, rule, severity, kind, assessable, message, line, \"column\", "
            "page, section, \"table\", \"row\", column_label, binding, pack, title, basis, tags, severity_from, "
            "difference, suggestion, suggestion_table, suggestion_row, suggestion_column, suggestion_current, "
            "suggestion_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?)");
        insert_cell_ = statement(
            "INSERT INTO cells (finding_id, position, path, \"table\", \"row\", column_label, number, decimals, "
            "\"value\", text, line, \"column\", page, file, coefficient) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert_rule_error_ = statement(
            "INSERT INTO rule_errors (report_id, rule, file, line, \"column\", message, hint, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    }

    void insert(const json& report) {
        const json& error = field(report, "error");
        const json& summary = field(report, "summary");
        const json& stats = field(report, "stats");
        const bool read = error.is_null();
        auto stat = [&](const char* key) { return read ? field(stats, key) : json(); };
        const sqlite3_int64 report_id =
            Binder(db_.get(), insert_report_.get())(run_id_)(position_++)(field(report, "file"))(
                field(report, "folder").is_boolean())(field(report, "previous_year").is_boolean())(
                field(report, "template"))(field(report, "year"))(field(report, "agency"))(field(report, "format"))(
                field(report, "previous"))(field(report, "reader_warnings"))(field(error, "text"))(
                field(error, "message"))(field(error, "hint"))(position(error, "line"))(position(error, "column"))(
                field(summary, "errors"))(field(summary, "warnings"))(field(summary, "infos"))(
                field(summary, "not_assessable"))(stat("rules_run"))(stat("checks"))(stat("passed"))(
                stat("failed"))(stat("skipped_by_when"))(field(report, "findings_below_min_severity"))
                .run();
        for (const auto& e : field(report, "rule_errors"))
            Binder(db_.get(), insert_rule_error_.get())(report_id)(field(e, "rule"))(field(e, "file"))(
                position(e, "line"))(position(e, "column"))(field(e, "message"))(field(e, "hint"))(field(e, "text"))
                .run();
        long long finding_position = 0;
        for (const auto& f : field(report, "findings")) {
            const json& at = field(f, "location");
            const json& s = field(f, "suggestion");
            const sqlite3_int64 finding_id =
                Binder(db_.get(), insert_finding_.get())(report_id)(finding_position++)(field(f, "rule"))(
                    field(f, "severity"))(field(f, "kind"))(field(f, "assessable"))(field(f, "message"))(
                    position(at, "line"))(position(at, "column"))(position(at, "page"))(field(at, "section"))(
                    field(at, "table"))(field(at, "row"))(field(at, "column_label"))(field(f, "binding"))(
                    field(f, "pack"))(field(f, "title"))(field(f, "basis"))(field(f, "tags"))(
                    field(f, "severity_from"))(field(f, "difference"))(s)(field(s, "table"))(field(s, "row"))(
                    field(s, "column"))(field(s, "current"))(field(s, "value"))
                    .run();
            long long cell_position = 0;
            for (const auto& c : field(f, "cells")) {
                const json& value = field(c, "value");
                Binder(db_.get(), insert_cell_.get())(finding_id)(cell_position++)(field(c, "path"))(
                    field(c, "table"))(field(c, "row"))(field(c, "column_label"))(field(value, "number"))(
                    field(value, "decimals"))(value)(field(c, "text"))(position(c, "line"))(position(c, "column"))(
                    position(c, "page"))(field(c, "file"))(field(c, "coefficient"))
                    .run();
            }
        }
    }

    std::string path_;
    std::unique_ptr<sqlite3, DatabaseCloser> db_;
    Statement insert_run_, finish_run_, insert_report_, insert_finding_, insert_cell_, insert_rule_error_;
    sqlite3_int64 run_id_ = 0;
    long long position_ = 0;
    std::string failure_;
};

}  // namespace

std::unique_ptr<ResultsWriter> sqlite_writer(const std::string& path, const RunInfo& run) {
    return std::make_unique<SqliteWriter>(path, run);
}

}  // namespace gouji
