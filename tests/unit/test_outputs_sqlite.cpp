// `gouji check --format sqlite --output FILE` (docs/sqlite.md) and --output for the
// other formats: what is kept, across runs and when a run stops halfway, and the
// files gouji refuses to write into.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "gouji/outputs.hpp"
#include "tests/unit/cli_test_support.hpp"
#include "tests/unit/writer_test_support.hpp"

using namespace gouji;
using namespace gouji::test;

namespace {

const Scratch& scratch() {
    static Scratch s("sqlite");
    return s;
}

Run run_check_cli(const std::string& args) { return run_gouji_in(scratch(), "", args); }

// The rows of `sql`, each a list of its columns as text ("NULL" for NULL).
std::vector<std::vector<std::string>> query(const std::string& db_path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(s) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            const unsigned char* text = sqlite3_column_text(s, i);
            row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rows;
}

std::string one(const std::string& db_path, const std::string& sql) {
    auto rows = query(db_path, sql);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].size() == 1);
    return rows[0][0];
}

std::string examples() {
    return shell_quoted(GOUJI_TEST_DIR "/../examples");
}

RunInfo fixed_run() {
    RunInfo run;
    run.tool_version = "test";
    run.arguments = {"gouji", "check"};
    run.working_directory = "/work";
    run.started_utc = "2026-01-01T00:00:00Z";
    return run;
}

Finding a_finding(const std::string& rule) {
    Finding f;
    f.rule = rule;
    f.severity = Severity::Error;
    f.message = "表三 'quoted' \"twice\" ≠ 9";
    f.location.pos = {12, 3};
    f.location.table = "表三";
    f.location.row = "本年新收";
    f.location.column = "商业企业";
    CellRef c;
    c.path = "表三.本年新收.商业企业";
    c.table = "表三";
    c.value = Value::of(0, 0);
    c.text = "0";
    c.pos = {12, 3};
    c.coefficient = 1;
    f.cells.push_back(c);
    f.suggestion = Suggestion{"表三", "本年新收", "商业企业", 0, 9, 0, {rule}};
    return f;
}

}  // namespace

TEST_CASE("sqlite output: two runs of the examples are kept side by side, every finding and cell with them") {
    const std::string db = scratch().path("two-runs.db");
    const Run json = run_check_cli("check --format json " + examples() + "/*");
    REQUIRE(json.exit_code <= 1);
    const auto reports = nlohmann::json::parse(json.out)["reports"];
    std::size_t findings = 0, cells = 0;
    for (const auto& r : reports)
        for (const auto& f : r["findings"]) {
            ++findings;
            cells += f["cells"].size();
        }
    REQUIRE(findings > 0);

    for (int run = 1; run <= 2; ++run) {
        const Run r = run_check_cli("check --format sqlite --output " + shell_quoted(db) + " " + examples() + "/*");
        CHECK(r.exit_code == json.exit_code);
        CHECK(r.out.empty());  // the results are in the file
    }
    CHECK(one(db, "SELECT count(*) FROM runs") == "2");
    CHECK(one(db, "SELECT count(*) FROM runs WHERE finished_utc IS NULL") == "0");
    CHECK(one(db, "SELECT count(*) FROM reports") == std::to_string(2 * reports.size()));
    CHECK(one(db, "SELECT count(*) FROM findings") == std::to_string(2 * findings));
    CHECK(one(db, "SELECT count(*) FROM cells") == std::to_string(2 * cells));
    CHECK(one(db, "SELECT count(*) FROM latest_reports") == std::to_string(reports.size()));
    CHECK(one(db, "SELECT max(run_id) FROM latest_reports") == "2");
    // The run's counts are the batch's, the report's those of its JSON entry.
    const auto& first = reports[0];
    CHECK(one(db, "SELECT errors FROM reports WHERE run_id = 1 AND position = 0") ==
          std::to_string(first["summary"]["errors"].get<int>()));
    CHECK(one(db, "SELECT file FROM reports WHERE run_id = 1 AND position = 0") == first["file"].get<std::string>());
    CHECK(one(db, "SELECT sum(errors) = (SELECT errors FROM runs WHERE id = 1) FROM reports WHERE run_id = 1") == "1");
    // A finding's fields are its JSON fields.
    const auto& f = first["findings"][0];
    const auto row = query(db, "SELECT rule, severity, message, line FROM findings WHERE report_id = 1 AND position = 0");
    REQUIRE(row.size() == 1);
    CHECK(row[0][0] == f["rule"].get<std::string>());
    CHECK(row[0][1] == f["severity"].get<std::string>());
    CHECK(row[0][2] == f["message"].get<std::string>());
    CHECK(row[0][3] == std::to_string(f["location"]["line"].get<int>()));
    CHECK(one(db, "SELECT count(*) FROM reports WHERE checks > 0 AND rules_run > 0") ==
          std::to_string(2 * reports.size()));
}

TEST_CASE("sqlite output: a suggestion, an unreadable report and a name that is not UTF-8 are kept as the JSON says") {
    const std::string db = scratch().path("written.db");
    auto writer = sqlite_writer(db, fixed_run());
    ReportFindings read;
    read.file = "seeds/002.txt";
    read.template_id = "gov-2019";
    read.year = 2020;
    read.agency = "晋江市";
    read.findings.push_back(a_finding("T3-BALANCE"));
    ReportFindings unreadable =
        unreadable_report("bad\xff.txt", InputError("bad\xff.txt", SourcePos{3, 7}, "cut off", "save it again"));
    writer->write(writer->entry(read));
    writer->write(writer->entry(unreadable));
    BatchTally tally;
    tally.add(read);
    tally.add(unreadable);
    writer->close(tally);
    CHECK(writer->good());
    writer.reset();

    CHECK(one(db, "SELECT suggestion_value = 9 AND suggestion_current = 0 AND suggestion_row = '本年新收' FROM findings") == "1");
    CHECK(one(db, "SELECT message FROM findings") == "表三 'quoted' \"twice\" ≠ 9");
    CHECK(one(db, "SELECT coefficient = 1 AND number = 0 AND text = '0' AND line = 12 FROM cells") == "1");
    CHECK(one(db, "SELECT year || agency FROM reports WHERE position = 0") == "2020晋江市");
    const auto bad = query(db, "SELECT file, error_message, error_line, error_column, checks, template FROM reports "
                               "WHERE position = 1");
    REQUIRE(bad.size() == 1);
    CHECK(bad[0] == std::vector<std::string>{"bad\xEF\xBF\xBD.txt", "cut off", "3", "7", "NULL", "NULL"});
    CHECK(one(db, "SELECT reports || ' ' || unreadable || ' ' || errors FROM runs") == "2 1 1");
}

TEST_CASE("sqlite output: a run stopped halfway keeps the reports written, and says it did not finish") {
    const std::string db = scratch().path("stopped.db");
    {
        auto writer = sqlite_writer(db, fixed_run());
        ReportFindings read;
        read.file = "a.txt";
        read.findings.push_back(a_finding("T3-BALANCE"));
        writer->write(writer->entry(read));
        // No close(): the process was killed here.
    }
    CHECK(one(db, "SELECT count(*) FROM reports") == "1");
    CHECK(one(db, "SELECT count(*) FROM findings") == "1");
    CHECK(one(db, "SELECT finished_utc IS NULL AND reports IS NULL FROM runs") == "1");
}

TEST_CASE("sqlite output: two runs started at once on a new file both keep every report") {
    const std::string db = scratch().path("at-once.db");
    constexpr int reports = 20;
    auto one_run = [&] {
        auto writer = sqlite_writer(db, fixed_run());
        BatchTally tally;
        for (int i = 0; i < reports; ++i) {
            ReportFindings r;
            r.file = std::to_string(i) + ".txt";
            r.findings.push_back(a_finding("T3-BALANCE"));
            writer->write(writer->entry(r));
            tally.add(r);
        }
        writer->close(tally);
        return writer->good() ? std::string() : writer->failure();
    };
    std::string failed_a, failed_b;
    std::thread a([&] {
        try {
            failed_a = one_run();
        } catch (const InputError& e) {
            failed_a = e.describe();
        }
    });
    try {
        failed_b = one_run();
    } catch (const InputError& e) {
        failed_b = e.describe();
    }
    a.join();
    CHECK(failed_a == "");
    CHECK(failed_b == "");
    CHECK(one(db, "SELECT count(*) FROM runs WHERE finished_utc IS NOT NULL") == "2");
    CHECK(one(db, "SELECT count(*) FROM reports") == std::to_string(2 * reports));
    CHECK(one(db, "SELECT count(*) FROM findings") == std::to_string(2 * reports));
}

TEST_CASE("sqlite output: a file gouji did not make, or one of a newer schema, is refused and left as it was") {
    SUBCASE("a text file") {
        const std::string path = scratch().write("notes.txt.db", "my notes, not a database\n");
        const Run r = run_check_cli("check --format sqlite --output " + shell_quoted(path) + " " + examples() + "/*");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("notes.txt.db: error: cannot keep the results in this database") != std::string::npos);
        CHECK(read_text_file(path) == "my notes, not a database\n");
    }
    SUBCASE("another program's database") {
        const std::string path = scratch().path("other.db");
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE reports (x); INSERT INTO reports VALUES (42)", nullptr, nullptr,
                             nullptr) == SQLITE_OK);
        sqlite3_close(db);
        const Run r = run_check_cli("check --format sqlite --output " + shell_quoted(path) + " " + examples() + "/*");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("not one gouji made") != std::string::npos);
        CHECK(one(path, "SELECT count(*) FROM sqlite_master") == "1");
        CHECK(one(path, "SELECT x FROM reports") == "42");
    }
    SUBCASE("another program's database with no table yet") {
        const std::string path = scratch().path("versioned.db");
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
        CHECK_THROWS_WITH_AS(sqlite_writer(path, fixed_run()), doctest::Contains("not one gouji made"), InputError);
        CHECK(one(path, "SELECT count(*) FROM sqlite_master") == "0");
        CHECK(one(path, "PRAGMA user_version") == "7");
    }
    SUBCASE("an empty file is made a database") {
        const std::string path = scratch().write("empty.db", "");
        sqlite_writer(path, fixed_run());
        CHECK(one(path, "SELECT count(*) FROM runs") == "1");
    }
    SUBCASE("a newer gouji's database") {
        const std::string path = scratch().path("newer.db");
        sqlite_writer(path, fixed_run());  // made, with no report
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "UPDATE gouji_schema SET version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
        CHECK_THROWS_WITH_AS(sqlite_writer(path, fixed_run()), doctest::Contains("made by a newer gouji (schema 99"),
                             InputError);
        CHECK(one(path, "SELECT count(*) FROM runs") == "1");
    }
}

TEST_CASE("sqlite output: a name SQLite would read as no file or a URI is a file all the same") {
    const std::string folder = scratch().path("names");
    std::filesystem::create_directories(folder);
    for (const std::string name : {":memory:", "file:audit.db?mode=memory", "file:plain.db"}) {
        CAPTURE(name);
        const Run r = run_gouji_in(scratch(), "cd " + shell_quoted(folder) + " &&",
                                   "check --format sqlite --output " + shell_quoted(name) + " " + examples() + "/*");
        CHECK(r.exit_code <= 1);
        CHECK(r.err.find("(written to " + name + ")") != std::string::npos);
        // Said to be written there: it is, and nowhere else.
        const std::string file = folder + "/" + name;
        REQUIRE(std::filesystem::exists(file));
        CHECK(one(file, "SELECT count(*) FROM runs WHERE finished_utc IS NOT NULL") == "1");
    }
    CHECK(!std::filesystem::exists(folder + "/audit.db"));
    CHECK(!std::filesystem::exists(folder + "/plain.db"));
}

TEST_CASE("--output: a write that fails (a full disk) leaves the file ending after a whole report") {
    const std::string corpus = shell_quoted(GOUJI_TEST_DIR "/corpus");
    // A file-size limit of 20 KB stands for the disk filling up: writes past it fail
    // (EFBIG, the signal ignored), as on a full disk they fail with ENOSPC.
    const std::string full_at_20k = "trap '' XFSZ; ulimit -f 40;";
    // How each ends after its last whole entry. SARIF's head (a descriptor per
    // rule) is longer than 20 KB: nothing of it was whole, and nothing is left.
    const std::vector<std::pair<std::string, std::string>> cases{
        {"html", "</section>\n"}, {"junit", " </testsuite>\n"}, {"json", "\n  }"}, {"sarif", ""}};
    for (const auto& [format, ends_with] : cases) {
        CAPTURE(format);
        const std::string out = scratch().path("full." + format);
        const Run r = run_gouji_in(scratch(), full_at_20k, "check --format " + format + " -o " + shell_quoted(out) + " " + corpus);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("could not write the results to " + out) != std::string::npos);
        // It ended where the limit fell: inside a report, a character cut in two.
        const std::string written = read_text_file(out);
        CHECK(written.size() < 20 * 1024);
        CHECK(written.ends_with(ends_with));
        if (ends_with.empty()) CHECK(written.empty());
        else CHECK(written.size() > 1000);
    }
}

TEST_CASE("--output: written instead of stdout, never over an input, and not opened before the packs compile") {
    const std::string report = GOUJI_TEST_DIR "/corpus/seeds/002_0ec7f487509b9c4f.txt";
    const Run to_stdout = run_check_cli("check --format json " + shell_quoted(report));
    const std::string out = scratch().path("results.json");
    const Run to_file = run_check_cli("check --format json -o " + shell_quoted(out) + " " + shell_quoted(report));
    CHECK(to_file.exit_code == to_stdout.exit_code);
    CHECK(to_file.out.empty());
    CHECK(read_text_file(out) == to_stdout.out);
    // The terminal still hears how it went, and where the results are.
    CHECK(to_file.err.find("gouji check: checked 1 report: ") != std::string::npos);
    CHECK(to_file.err.find("(written to " + out + ")\n") != std::string::npos);
    CHECK(to_stdout.err.find("written to") == std::string::npos);

    SUBCASE("sqlite needs a file") {
        const Run r = run_check_cli("check --format sqlite " + shell_quoted(report));
        CHECK(r.exit_code == 2);
        // The usage error's form: it was "--format sqlite: error: … (give --output FILE, …)".
        CHECK(r.err == "gouji check: error: --format sqlite needs --output FILE, e.g. --output audits.db: a database is "
                       "not written to standard output (gouji check --help)\n");
    }
    SUBCASE("an input is not overwritten") {
        const std::string copy = scratch().write("copy.txt", read_text_file(report));
        const Run r = run_check_cli("check -o " + shell_quoted(copy) + " " + shell_quoted(copy));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--output names") != std::string::npos);
        CHECK(read_text_file(copy) == read_text_file(report));
    }
    SUBCASE("nor a report of a --previous folder, nor the templates file") {
        const std::string last_year = scratch().write("previous/last.txt", read_text_file(report));
        Run r = run_check_cli("check --previous " + shell_quoted(scratch().path("previous")) + " -o " +
                              shell_quoted(last_year) + " " + shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--output names") != std::string::npos);
        CHECK(read_text_file(last_year) == read_text_file(report));
        // A copy of the standard folder: were the check to fail, the checkout's file would be lost.
        const std::string packs = scratch().path("rulepacks");
        std::filesystem::copy(GOUJI_TEST_DIR "/../rulepacks", packs,
                              std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
        const std::string templates = packs + "/templates.yaml";
        const std::string before = read_text_file(templates);
        r = run_gouji_in(scratch(), "GOUJI_RULEPACKS=" + shell_quoted(packs),
                         "check -o " + shell_quoted(templates) + " " + shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("which gouji reads") != std::string::npos);
        CHECK(read_text_file(templates) == before);
    }
    SUBCASE("a page kept in the folder it audits is left out of the next audit, not refused") {
        const std::string folder = scratch().path("audited");
        scratch().write("audited/a.txt", read_text_file(report));
        const std::string page = folder + "/audit.txt";
        for (int run = 0; run < 2; ++run) {
            const Run r = run_check_cli("check -o " + shell_quoted(page) + " " + shell_quoted(folder));
            CHECK(r.exit_code == to_stdout.exit_code);
            CHECK(r.err.find("checked 1 report: ") != std::string::npos);
            CHECK((r.err.find("audit.txt is this run's --output: not audited") != std::string::npos) == (run == 1));
        }
    }
    SUBCASE("standard output, a file in the folder audited, is left out of the audit, as --output is") {
        // `gouji check reports > reports/audit.txt`: the shell makes audit.txt, empty,
        // before gouji runs; it was audited as an empty report, and exit 2.
        const std::string folder = scratch().path("redirected");
        scratch().write("redirected/a.txt", read_text_file(report));
        const std::string listing = folder + "/audit.txt", err = scratch().path("redirected.err");
        for (const std::string redirect : {">", ">>"}) {
            CAPTURE(redirect);
            const std::string cmd = "NO_COLOR=1 " + shell_quoted(GOUJI_BINARY) + " check " + shell_quoted(folder) + " " +
                                    redirect + " " + shell_quoted(listing) + " 2>" + shell_quoted(err);
            const int status = std::system(("/bin/sh -c " + shell_quoted(cmd)).c_str());
            CHECK(WEXITSTATUS(status) == to_stdout.exit_code);
            CHECK(read_text_file(err).find("gouji check: note: " + listing + " is this run's standard output: not audited\n") !=
                  std::string::npos);
            CHECK(read_text_file(err).find("file is empty") == std::string::npos);
            CHECK(read_text_file(listing).find("checked 1 report: ") != std::string::npos);
        }
        // Standard output elsewhere: the file is found as any other.
        const Run r = run_check_cli("check " + shell_quoted(folder));
        CHECK(r.err.find("standard output") == std::string::npos);
    }
    SUBCASE("a report of the folder audited is not overwritten, in any format") {
        // It was left out as "this run's --output" and overwritten with the results.
        const std::string folder = scratch().path("kept");
        for (const std::string format : {"text", "json", "sarif", "junit", "html"}) {
            CAPTURE(format);
            const std::string kept = scratch().write("kept/a.txt", read_text_file(report));
            const Run r = run_check_cli("check --format " + format + " -o " + shell_quoted(kept) + " " + shell_quoted(folder));
            CHECK(r.exit_code == 2);
            CHECK(r.err.find("--output names " + kept + ", which gouji reads") != std::string::npos);
            CHECK(read_text_file(kept) == read_text_file(report));
        }
        // Results of each format written there before are written anew.
        const std::string results = scratch().path("kept/results.txt");
        for (const std::string format : {"text", "json", "sarif", "junit", "html", "html"}) {
            CAPTURE(format);
            const Run r = run_check_cli("check --format " + format + " -o " + shell_quoted(results) + " " + shell_quoted(folder));
            CHECK(r.exit_code == to_stdout.exit_code);
            CHECK(r.err.find("checked 1 report: ") != std::string::npos);
        }
    }
    SUBCASE("a pack with an error leaves the last run's file as it was") {
        const std::string pack = scratch().write("broken.yaml", "pack: broken\nrules:\n  - id: X\n    check: 1 +\n");
        const Run r = run_check_cli("check --format json -o " + shell_quoted(out) + " --pack " + shell_quoted(pack) + " " +
                            shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(read_text_file(out) == to_stdout.out);
    }
    SUBCASE("a folder, or a file that cannot be made") {
        Run r = run_check_cli("check -o " + shell_quoted(scratch().path("")) + " " + shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--output names a folder") != std::string::npos);
        r = run_check_cli("check -o " + shell_quoted(scratch().path("no/such/dir/out.txt")) + " " + shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("cannot write --output: No such file or directory") != std::string::npos);
        // A database too: it said "cannot keep the results in this database: unable to
        // open database file (check the file is a gouji database …)".
        r = run_check_cli("check --format sqlite -o " + shell_quoted(scratch().path("no/such/dir/out.db")) + " " +
                          shell_quoted(report));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("out.db: error: cannot write --output: No such file or directory (check the folder exists") !=
              std::string::npos);
    }
}

namespace {

// One report written by a run of `run`'s working directory, the run closed.
void write_run(const std::string& path, const RunInfo& run, const std::vector<ReportFindings>& reports) {
    write_batch(*sqlite_writer(path, run), reports);
}

ReportFindings report_of(const std::string& file, std::size_t errors) {
    ReportFindings r;
    r.file = file;
    r.format = "markdown";
    for (std::size_t i = 0; i < errors; ++i) r.findings.push_back(a_finding("R" + std::to_string(i)));
    return r;
}

}  // namespace

TEST_CASE("sqlite output: latest_reports tells a file apart by the working directory its path starts from") {
    const std::string path = scratch().path("two-folders.db");
    RunInfo in_a = fixed_run(), in_b = fixed_run();
    in_a.working_directory = "/srv/dirA";
    in_b.working_directory = "/srv/dirB";
    // Two files, both given as reports/county.md; an absolute path is one file wherever it was audited from.
    write_run(path, in_a, {report_of("reports/county.md", 2), report_of("/srv/all/city.md", 1)});
    write_run(path, in_b, {report_of("reports/county.md", 0), report_of("/srv/all/city.md", 0)});
    CHECK(query(path, "SELECT working_directory, file, errors, run_id FROM latest_reports ORDER BY file, working_directory") ==
          std::vector<std::vector<std::string>>{{"/srv/dirB", "/srv/all/city.md", "0", "2"},
                                                {"/srv/dirA", "reports/county.md", "2", "1"},
                                                {"/srv/dirB", "reports/county.md", "0", "2"}});
}

TEST_CASE("sqlite output: a database of schema 1 is brought up to 2, its rows kept") {
    const std::string path = scratch().path("schema-1.db");
    RunInfo in_a = fixed_run();
    in_a.working_directory = "/srv/dirA";
    write_run(path, in_a, {report_of("reports/county.md", 2)});
    // As gouji 0.1.0 made it: no column of what --min-severity left out, the view by file alone.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "DROP VIEW latest_reports;"
                         "ALTER TABLE reports DROP COLUMN findings_below_min_severity;"
                         "ALTER TABLE runs DROP COLUMN findings_below_min_severity;"
                         "CREATE VIEW latest_reports AS SELECT reports.* FROM reports WHERE reports.id = (SELECT r.id "
                         "FROM reports r WHERE r.file = reports.file ORDER BY r.run_id DESC, r.id DESC LIMIT 1);"
                         "UPDATE gouji_schema SET version = 1;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    RunInfo in_b = fixed_run();
    in_b.working_directory = "/srv/dirB";
    ReportFindings left_out = report_of("reports/county.md", 0);
    left_out.findings_not_shown = 3;
    write_run(path, in_b, {left_out});
    CHECK(one(path, "SELECT version FROM gouji_schema") == "2");
    CHECK(query(path, "SELECT run_id, errors, findings_below_min_severity FROM reports ORDER BY id") ==
          std::vector<std::vector<std::string>>{{"1", "2", "NULL"}, {"2", "0", "3"}});
    CHECK(query(path, "SELECT findings_below_min_severity FROM runs ORDER BY id") ==
          std::vector<std::vector<std::string>>{{"NULL"}, {"3"}});
    CHECK(one(path, "SELECT count(*) FROM latest_reports") == "2");
}

TEST_CASE("sqlite output: findings --min-severity left out are counted beside the report's rows, and the run's") {
    const Run r = run_check_cli("check --format sqlite --min-severity error --output " +
                                shell_quoted(scratch().path("min-severity.db")) + " " + examples() + "/*");
    REQUIRE(r.exit_code <= 1);
    const std::string db = scratch().path("min-severity.db");
    const Run all = run_check_cli("check --format json " + examples() + "/*");
    std::size_t below = 0;
    const auto results = nlohmann::json::parse(all.out);
    for (const auto& report : results["reports"])
        for (const auto& f : report["findings"]) below += f["severity"] != "error";
    REQUIRE(below > 0);
    CHECK(one(db, "SELECT sum(findings_below_min_severity) FROM reports") == std::to_string(below));
    CHECK(one(db, "SELECT findings_below_min_severity FROM runs") == std::to_string(below));
    CHECK(one(db, "SELECT count(*) FROM findings WHERE severity <> 'error'") == "0");
    CHECK(one(db, "SELECT sum(warnings + infos + not_assessable) FROM reports") == "0");
}
