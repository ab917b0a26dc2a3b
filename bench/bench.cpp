// gouji_bench: reading and modelling throughput per format, rule compilation and
// checking time, hostile input (a zip bomb, deep HTML, a 50 MB text) and peak RSS,
// on a corpus generated from the test fixtures.
// Usage: gouji_bench [reports-per-format (default 200)] [out-dir (default bench/out)] [part...]
// where a part is a format name, "published", "batch", "hostile" or "stages-<format>" (a
// stage-by-stage breakdown, only when asked for); with none given, every part but
// the breakdowns runs.
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <algorithm>

#include <fmt/format.h>

#include "gouji/memory.hpp"
#include "gouji/readers.hpp"
#include "gouji/report_model.hpp"
#include "gouji/rules.hpp"
#include "engine/model/binder.hpp"
#include "engine/model/heading.hpp"
#include "engine/model/metadata.hpp"
#include "engine/model/narrative.hpp"
#include "engine/model/sections.hpp"
#include "zip_bomb.hpp"

namespace fs = std::filesystem;
// Every figure is CPU time of this one thread (user + system): it is throughput
// per core, and it stays meaningful when other work shares the machine.
struct Clock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<Clock>;
    static constexpr bool is_steady = true;
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(static_cast<rep>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
    }
};

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A variant of a report: digits of the report's numbers get random values, so
// each document differs but keeps its shape. Markup (tags, entities) and years
// (four digits from 1900 to 2099) are kept: a random colspan or report year would
// change the document's structure, not just its figures.
std::string vary_digits(const std::string& text, std::mt19937& rng) {
    std::string out = text;
    std::uniform_int_distribution<int> digit(0, 9);
    auto is_digit = [&](std::size_t i) { return i < out.size() && out[i] >= '0' && out[i] <= '9'; };
    bool in_tag = false, in_entity = false;
    for (std::size_t i = 0; i < out.size();) {
        char c = out[i];
        if (in_tag) in_tag = c != '>';
        else if (in_entity) in_entity = c != ';' && (std::isalnum(static_cast<unsigned char>(c)) || c == '#');
        else if (c == '<') in_tag = true;
        else if (c == '&') in_entity = true;
        if (in_tag || in_entity || !is_digit(i)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (is_digit(end)) ++end;
        bool year = end - i == 4 && (out.compare(i, 2, "19") == 0 || out.compare(i, 2, "20") == 0);
        for (; i < end; ++i)
            if (!year && rng() % 3 == 0) out[i] = static_cast<char>('0' + digit(rng));
    }
    return out;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The line `field` ("VmRSS:") of /proc/`process`/status, in MiB; `unread` without it.
long status_mib(const std::string& process, std::string_view field, long unread) {
    std::ifstream status("/proc/" + process + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field)) return std::atol(line.c_str() + field.size()) / 1024;
    return unread;
}

// This process's resident set now, MiB (/proc/self/status VmRSS).
long rss_now_mib() { return status_mib("self", "VmRSS:", 0); }

// The peak resident set of process `pid` so far, MiB (/proc/PID/status VmHWM); -1 unread.
long peak_rss_of_mib(pid_t pid) { return status_mib(std::to_string(pid), "VmHWM:", -1); }

// Runs argv[0] with `argv`, its output to /dev/null, and waits for it: its exit
// status and resource usage, and its own peak resident set (MiB), read as it exits.
// A child's ru_maxrss counts what it had from this process at the fork (Linux keeps
// the larger of the two through exec), so the peak is read from /proc while the
// child, traced, is stopped at its exit with its memory still mapped; -1 where it
// cannot be traced.
struct ChildRun {
    int status = 0;
    rusage usage{};
    long own_peak_mib = -1;
    bool ran = false;
};
ChildRun run_traced(std::vector<char*>& argv) {
    ChildRun run;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);  // untraced if refused: the peak stays unread
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (pid < 0) return run;
    bool traced = false;
    for (;;) {
        if (wait4(pid, &run.status, 0, &run.usage) < 0) {
            if (errno == EINTR) continue;
            return run;
        }
        if (!WIFSTOPPED(run.status)) break;  // exited or killed
        const int sig = WSTOPSIG(run.status);
        const int event = run.status >> 16;
        int pass_on = 0;
        if (sig == SIGTRAP && !traced) {  // stopped at exec: ask to stop at its exit too
            traced = ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(PTRACE_O_TRACEEXIT)) == 0;
        } else if (sig == SIGTRAP && event == PTRACE_EVENT_EXIT) {
            run.own_peak_mib = peak_rss_of_mib(pid);
        } else if (sig == SIGTRAP && event == 0) {
            // Another exec (a wrapper script's): the trap is the tracer's, not the child's.
        } else {
            pass_on = sig;  // the child's own signal, delivered
        }
        ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(pass_on)));
    }
    run.ran = true;
    return run;
}

long peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// Seconds until `read` throws InputError, and its message; "(not refused)" if it returns.
template <class Read>
std::pair<double, std::string> time_refusal(Read read) {
    auto start = Clock::now();
    try {
        read();
    } catch (const gouji::InputError& e) {
        return {seconds_since(start), e.what()};
    }
    return {seconds_since(start), "(not refused)"};
}

// The seed repeated (blank line between copies) until the file has `target` bytes.
fs::path repeated_text(const fs::path& seed, std::size_t target, const fs::path& out) {
    std::string copy = slurp(seed) + "\n\n";
    std::string text;
    text.reserve(target + copy.size());
    while (text.size() < target) text += copy;
    fs::path path = out / "big-50mb.txt";
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

void bench_hostile_input(const fs::path& tests, const fs::path& out, const gouji::TemplateCatalog& catalog) {
    fmt::print("\n");
    auto bomb_start = Clock::now();
    std::string bomb = bench::docx_zip_bomb(1ull << 30, 1ull << 30, out / "bomb.docx");
    double build_s = seconds_since(bomb_start);
    auto [bomb_s, bomb_message] = time_refusal([&] { gouji::read_docx("bomb.docx", bomb, {}); });
    fmt::print("zip bomb (1 GiB in {:.1f} MB, built in {:.2f} s): refused in {:.3f} s: {}\n",
               static_cast<double>(bomb.size()) / 1e6, build_s, bomb_s, bomb_message);
    std::string liar = bench::docx_zip_bomb(1ull << 30, 1000, out / "bomb.docx");
    auto [liar_s, liar_message] = time_refusal([&] { gouji::read_docx("liar.docx", liar, {}); });
    fmt::print("zip bomb (1 GiB, headers claim 1000 bytes): refused in {:.3f} s: {}\n", liar_s, liar_message);

    std::string deep;
    for (int i = 0; i < 200000; ++i) deep += "<div>";
    deep += "x";
    auto [deep_s, deep_message] = time_refusal([&] { gouji::read_html("deep.html", deep, {}); });
    fmt::print("html nested 200000 deep: refused in {:.3f} s: {}\n", deep_s, deep_message);

    fs::path big = repeated_text(tests / "corpus/seeds/001_64c08c7c78b4b61b.txt", 50u << 20, out);
    double mb = static_cast<double>(fs::file_size(big)) / 1e6;
    auto read_start = Clock::now();
    gouji::Document document = gouji::read_document(big.string());
    double read_s = seconds_since(read_start);
    auto narrative_start = Clock::now();
    std::vector<gouji::Figure> figures;
    std::vector<gouji::FigureList> lists;
    gouji::extract_narrative(document, {}, figures, lists);
    double narrative_s = seconds_since(narrative_start);
    auto model_start = Clock::now();
    gouji::ReportModel model = gouji::build_model(std::move(document), catalog, {.judge_every_template = false});
    double model_s = seconds_since(model_start);
    fmt::print("50 MB text ({:.1f} MB, {} blocks): read {:.2f} s + model {:.2f} s = {:.2f} MB/s, peak RSS {} MiB\n", mb,
               model.document.blocks.size(), read_s, model_s, mb / (read_s + model_s), peak_rss_mib());
    fmt::print("narrative on it: {} figures, {} lists in {:.2f} s ({:.2f} MB/s)\n", figures.size(), lists.size(),
               narrative_s, mb / narrative_s);
    fs::remove(big);
    fs::remove(out / "bomb.docx");
}

// The seeds as published, one at a time: reading + modelling one report against
// checking it. The generated corpus above randomizes digits, so nearly every sum
// fails there and each failure is probed for suggestions (the worst case); here
// the findings are the documents' real ones. Each figure is the median of
// `rounds` timings, for reading and checking alike: on a shared machine a mean
// is mostly the other processes' noise.
void bench_published(const std::map<std::string, std::vector<fs::path>>& seeds, const gouji::TemplateCatalog& catalog,
                     const gouji::RuleSet& rules) {
    constexpr int rounds = 31;
    auto median_seconds = [](auto&& f) {
        std::vector<double> times;
        for (int i = 0; i < rounds; ++i) {
            auto start = Clock::now();
            f();
            times.push_back(seconds_since(start));
        }
        std::nth_element(times.begin(), times.begin() + rounds / 2, times.end());
        return times[rounds / 2];
    };
    fmt::print("\n{:<32} {:>8} {:>12} {:>12} {:>11} {:>9} {:>8}\n", "published report", "KB", "read µs", "check µs",
               "check/read", "findings", "checks");
    for (const auto& [format, files] : seeds)
        for (const auto& file : files) {
            std::optional<gouji::ReportModel> model;
            double read_s = median_seconds([&] {
                model = gouji::build_model(gouji::read_document(file.string()), catalog, {.judge_every_template = false});
            });
            std::size_t findings = 0;
            double check_s = median_seconds([&] { findings = gouji::evaluate(rules, *model).size(); });
            gouji::EvaluationStats stats;
            gouji::evaluate(rules, *model, &stats);
            fmt::print("{:<32} {:>8.1f} {:>12.0f} {:>12.0f} {:>11.2f} {:>9} {:>8}\n", file.filename().string(),
                       static_cast<double>(fs::file_size(file)) / 1e3, read_s * 1e6, check_s * 1e6, check_s / read_s,
                       findings, stats.checks);
        }
}

// Where reading and modelling spend their time, stage by stage, on the seeds of
// one format (each stage run `rounds` times over every seed).
void bench_stages(const std::string& format, const std::vector<fs::path>& files, const gouji::TemplateCatalog& catalog) {
    constexpr int rounds = 20;
    std::map<std::string, double> seconds;
    std::vector<std::string> order;
    auto timed = [&](const std::string& stage, auto&& f) {
        auto start = Clock::now();
        for (int i = 0; i < rounds; ++i) f();
        if (!seconds.count(stage)) order.push_back(stage);
        seconds[stage] += seconds_since(start);
    };
    std::uintmax_t bytes = 0;
    for (const auto& file : files) {
        bytes += fs::file_size(file) * rounds;
        gouji::Document doc;
        timed("read", [&] { doc = gouji::read_document(file.string()); });
        timed("metadata", [&] { (void)gouji::read_metadata(doc, catalog.metadata); });
        std::vector<gouji::HeadingShape> headings;
        timed("heading shapes", [&] { headings = gouji::heading_shapes(doc); });
        timed("sections (every template)", [&] {
            for (const auto& t : catalog.templates) (void)gouji::find_sections(doc, headings, t, false);
        });
        timed("tokens", [&] { gouji::DocumentTokens tokens(doc); });
        gouji::DocumentTokens tokens(doc);
        timed("bind (every template)", [&] {
            for (const auto& t : catalog.templates)
                for (const auto& table : t.tables) (void)gouji::bind_table(tokens, table, 0, doc.blocks.size());
        });
        timed("narrative", [&] {
            std::vector<gouji::Figure> figures;
            std::vector<gouji::FigureList> lists;
            gouji::extract_narrative(doc, {}, figures, lists);
        });
        timed("read + model (check)", [&] {
            (void)gouji::build_model(gouji::read_document(file.string()), catalog, {.judge_every_template = false});
        });
        timed("read + model (explain)", [&] { (void)gouji::build_model(gouji::read_document(file.string()), catalog); });
    }
    double mb = static_cast<double>(bytes) / 1e6;
    fmt::print("\nstages on {} ({} seeds): µs per report, MB/s\n", format, files.size());
    for (const auto& stage : order) {
        double s = seconds[stage];
        fmt::print("  {:<28} {:>9.0f} {:>9.1f}\n", stage, s * 1e6 / static_cast<double>(rounds * files.size()), mb / s);
    }
}

}  // namespace

// `gouji check --format json` over the generated corpus (but its PDFs) as a
// user audits a folder: given once and ten times over on one thread, then ten times over on
// one thread per core; then each other format ten times over on one thread. Reports per second of wall time and per CPU second of
// the process, and its peak RSS: ten times the reports must not take ten times
// the memory, and more threads must not cost more CPU per report.
void bench_batch(const fs::path& corpus_dir) {
    const std::string gouji = GOUJI_BINARY;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    fmt::print("\n{:<48} {:>8} {:>12} {:>12} {:>12}\n", "gouji check (--format json unless said)", "reports", "reports/s",
               "per CPU s", "peak RSS MiB");
    // PDFs left out: poppler's reading is most of their time (80 ms a report), and
    // gouji opens them one at a time, so they would measure poppler alone.
    // Only the generated reports ("text-0007.txt"): the folder also keeps the hostile
    // part's zip bomb and, from an older bench, outputs that are no report.
    auto generated = [](const std::string& name) {
        for (const char* format : {"text-", "markdown-", "html-", "docx-"})
            if (name.starts_with(format)) return true;
        return false;
    };
    std::vector<std::string> corpus;
    for (const auto& e : fs::directory_iterator(corpus_dir))
        if (e.is_regular_file() && generated(e.path().filename().string())) corpus.push_back(e.path().string());
    std::sort(corpus.begin(), corpus.end());
    const std::size_t files = corpus.size();
    // Ten times over as ten copies of the files: gouji checks a file named twice once.
    std::vector<std::vector<std::string>> copied{corpus};
    for (unsigned i = 1; i < 10; ++i) {
        const fs::path dir = corpus_dir / "batch-copies" / std::to_string(i);
        fs::create_directories(dir);
        copied.emplace_back();
        for (const auto& file : corpus) {
            const fs::path copy = dir / fs::path(file).filename();
            fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
            copied.back().push_back(copy.string());
        }
    }
    struct Batch {
        unsigned copies, jobs;
        std::string format;  // written to a file beside the corpus, but json (to /dev/null)
    };
    std::vector<Batch> batches{{1, 1, "json"}, {10, 1, "json"}, {10, cores, "json"}};
    // Each other output format on the same ten copies, one thread: what writing it adds.
    for (const char* format : {"text", "sarif", "junit", "html", "sqlite"}) batches.push_back({10, 1, format});
    for (const auto& [copies, jobs, format] : batches) {
        std::vector<std::string> args = {gouji, "check", "--format", format, "--jobs", std::to_string(jobs)};
        if (format != "json") {
            // Beside the corpus, not in it: the next run lists the corpus's files.
            const fs::path outputs = corpus_dir / "batch-outputs";
            fs::create_directories(outputs);
            const fs::path output = outputs / ("audit." + format);
            fs::remove(output);  // a database keeps the runs before: each run starts afresh
            args.insert(args.end(), {"--output", output.string()});
        }
        for (unsigned i = 0; i < copies; ++i) args.insert(args.end(), copied[i].begin(), copied[i].end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const long bench_rss = rss_now_mib();
        const auto wall_start = std::chrono::steady_clock::now();
        const ChildRun run = run_traced(argv);
        // Exit 2 is an input error: a rate of a run that refused its input measures nothing.
        if (!run.ran || !WIFEXITED(run.status) || WEXITSTATUS(run.status) > 1) {
            fmt::print("{} --format {} could not be run\n", gouji, format);
            continue;
        }
        const rusage& usage = run.usage;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
        const double cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
        const double reports = static_cast<double>(files * copies);
        // Without its own peak, ru_maxrss bounds it: "≤ N" when it may be this process's.
        const long bound = usage.ru_maxrss / 1024;
        const std::string peak = run.own_peak_mib >= 0 ? std::to_string(run.own_peak_mib)
                                 : bound <= bench_rss  ? fmt::format("≤ {}", bound)
                                                       : std::to_string(bound);
        const std::string label = format == "json" ? fmt::format("the corpus × {}, --jobs {}", copies, jobs)
                                                   : fmt::format("the corpus × {}, --jobs {}, --format {}", copies,
                                                                 jobs, format);
        fmt::print("{:<48} {:>8} {:>12.1f} {:>12.1f} {:>12}\n", label, files * copies, reports / wall, reports / cpu,
                   peak);
    }
}

// The standard packs' file names, sorted: the packs `gouji check` compiles.
std::vector<std::string> standard_packs() {
    std::vector<std::string> packs;
    for (const auto& e : fs::directory_iterator(gouji::default_rulepack_dir()))
        if (e.path().extension() == ".yaml" && e.path().filename() != "templates.yaml") packs.push_back(e.path().string());
    std::sort(packs.begin(), packs.end());
    return packs;
}

// `gouji_bench --first-compile`: what `gouji check` pays once per run, in a
// process of its own, printed as the wall-clock milliseconds. One first compile
// per process is one sample, and a first compile varies more than a later one
// (fresh heap, cold caches): the bench runs several such processes.
int first_compile() {
    gouji::back_heaps_with_huge_pages();
    gouji::RegexTablesWarmup regex_tables;
    gouji::TemplateCatalog catalog = gouji::load_templates(gouji::default_rulepack_dir() + "/templates.yaml");
    const std::vector<std::string> packs = standard_packs();
    std::vector<gouji::RuleDiagnostic> errors;
    const auto start = std::chrono::steady_clock::now();
    const gouji::RuleSet rules = gouji::compile_rule_packs(packs, catalog, errors);
    const double ms = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1e3;
    if (!errors.empty() || rules.empty()) return 1;
    fmt::print("{:.3f}\n", ms);
    return 0;
}

// The first compile's wall-clock milliseconds in `processes` fresh processes of
// this program, sorted; empty when one could not run.
std::vector<double> first_compiles(int processes) {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);  // popen's shell has a /proc/self of its own
    if (error) return {};
    const std::string command = "'" + self.string() + "' --first-compile";
    std::vector<double> ms;
    for (int i = 0; i < processes; ++i) {
        FILE* child = popen(command.c_str(), "r");
        if (!child) return {};
        char line[64] = {};
        const bool read = std::fgets(line, sizeof line, child) != nullptr;
        if (pclose(child) != 0 || !read) return {};
        ms.push_back(std::strtod(line, nullptr));
    }
    std::sort(ms.begin(), ms.end());
    return ms;
}

int main(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "--first-compile") return first_compile();
    gouji::back_heaps_with_huge_pages();
    const int per_format = argc > 1 ? std::atoi(argv[1]) : 200;
    const fs::path out = argc > 2 ? fs::path(argv[2]) : fs::path(GOUJI_SOURCE_DIR) / "bench" / "out";
    const fs::path tests = fs::path(GOUJI_SOURCE_DIR) / "tests";
    // Profiling one stage is easier when the others stay out of the samples.
    std::vector<std::string> parts(argv + std::min(argc, 3), argv + argc);
    auto wanted = [&](const std::string& part) {
        return parts.empty() || std::find(parts.begin(), parts.end(), part) != parts.end();
    };
    // Seeds per format: the real corpus and our fixtures.
    const std::map<std::string, std::vector<fs::path>> seeds = {
        {"text", {tests / "corpus/seeds/000_831a942c0d0dfd8c.txt", tests / "corpus/seeds/001_64c08c7c78b4b61b.txt",
                  tests / "corpus/seeds/003_facd0ed23eb95129.txt"}},
        {"markdown", {tests / "corpus/seeds/002_0ec7f487509b9c4f.txt", tests / "corpus/real/shuyang-2025.txt",
                      tests / "corpus/real/shanghai-office-2025.md"}},
        {"html", {tests / "corpus/real/pingtan-2019.html", tests / "corpus/real/pingtan-2023.html",
                  tests / "fixtures/html/report-2021.html"}},
        {"docx", {tests / "fixtures/docx/report-2020.docx"}},
        {"pdf", {tests / "fixtures/pdf/report-2021.pdf"}},
    };
    fs::create_directories(out);
    std::mt19937 rng(20261129);
    // As `gouji check` does: ICU's one-time regex tables are built on a thread of
    // their own while the templates load (include/gouji/rules.hpp).
    gouji::RegexTablesWarmup regex_tables;
    gouji::TemplateCatalog catalog = gouji::load_templates(gouji::default_rulepack_dir() + "/templates.yaml");

    // Rule packs: compile once (timed), then check each modelled report (timed apart).
    const std::vector<std::string> packs = standard_packs();
    std::vector<gouji::RuleDiagnostic> errors;
    // The first compile in a process pays for what is set up once (fresh heap, code
    // not yet in the caches, and ICU's regex tables unless they were ready before);
    // `gouji check` compiles once per run, so that is the figure that counts. Compiling uses a second thread (the
    // packs' YAML is parsed on both), so its figure is the time a user waits (wall
    // clock), with the CPU time of all threads beside it.
    auto process_cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    };
    using Wall = std::chrono::steady_clock;
    auto wall_since = [](Wall::time_point t) { return std::chrono::duration<double>(Wall::now() - t).count(); };
    // Page faults too: a machine whose kernel is slow to fault pages in pays for each
    // first touch of the heap (on one machine of this kind a first compile took 2.5
    // times as long as on another, with the same code, and a later one 1.3 times).
    auto minor_faults_now = [] {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return usage.ru_minflt;
    };
    const double cpu_start = process_cpu_now();
    const long faults_start = minor_faults_now();
    auto compile_start = Wall::now();
    gouji::RuleSet rules = gouji::compile_rule_packs(packs, catalog, errors);
    double compile_s = wall_since(compile_start);
    const double compile_cpu_s = process_cpu_now() - cpu_start;
    const long compile_faults = minor_faults_now() - faults_start;
    std::vector<double> again;
    for (int i = 0; i < 5; ++i) {
        std::vector<gouji::RuleDiagnostic> ignored;
        auto start = Wall::now();
        (void)gouji::compile_rule_packs(packs, catalog, ignored);
        again.push_back(wall_since(start));
    }
    std::sort(again.begin(), again.end());
    if (!errors.empty()) std::cerr << gouji::render(errors);
    // Before the corpus is generated and read: the children then start as `gouji
    // check` does, on a machine not yet busy with this process's other work.
    constexpr int first_compile_processes = 7;
    const std::vector<double> firsts = first_compiles(first_compile_processes);

    // reports/s and MB/s: reading + modelling as `check` does; "explain MB/s": as
    // `explain` does, judging the shape against every template.
    fmt::print("{:<9} {:>8} {:>10} {:>10} {:>10} {:>12} {:>12}\n", "format", "reports", "MB", "reports/s", "MB/s",
               "explain MB/s", "check µs/rep");
    double check_total = 0;
    std::size_t checked = 0;
    for (const auto& [format, files] : seeds) {
        if (!wanted(format)) continue;
        std::vector<fs::path> generated;
        for (int i = 0; i < per_format; ++i) {
            const fs::path& seed = files[static_cast<std::size_t>(i) % files.size()];
            fs::path target = out / fmt::format("{}-{:04}{}", format, i, seed.extension().string());
            if (format == "docx" || format == "pdf") fs::copy_file(seed, target, fs::copy_options::overwrite_existing);
            else std::ofstream(target, std::ios::binary) << vary_digits(slurp(seed), rng);
            generated.push_back(target);
        }
        if (wanted("stages-" + format + "-generated"))
            bench_stages(format + " (generated)", {generated.begin(), generated.begin() + std::min<std::ptrdiff_t>(10, per_format)}, catalog);
        std::uintmax_t bytes = 0;
        for (const auto& p : generated) bytes += fs::file_size(p);
        // As `gouji explain` builds the model (judging every template), then as `check` does.
        auto explain_start = Clock::now();
        for (const auto& p : generated) (void)gouji::build_model(gouji::read_document(p.string()), catalog);
        double explain_s = seconds_since(explain_start);
        auto start = Clock::now();
        std::vector<gouji::ReportModel> models;
        models.reserve(generated.size());
        for (const auto& p : generated) {
            models.push_back(gouji::build_model(gouji::read_document(p.string()), catalog, {.judge_every_template = false}));
            models.back().document.drop_text();  // only the checks are timed here: no quotes
        }
        double read_s = seconds_since(start);
        double check_s = 0;
        if (!rules.empty()) {
            auto check_start = Clock::now();
            for (const auto& m : models) (void)gouji::evaluate(rules, m);
            check_s = seconds_since(check_start);
            check_total += check_s;
            checked += models.size();
        }
        double mb = static_cast<double>(bytes) / 1e6;
        fmt::print("{:<9} {:>8} {:>10.2f} {:>10.1f} {:>10.2f} {:>12.2f} {:>12.1f}\n", format, generated.size(), mb,
                   static_cast<double>(generated.size()) / read_s, mb / read_s, mb / explain_s,
                   rules.empty() ? 0.0 : check_s * 1e6 / static_cast<double>(models.size()));
    }
    if (wanted("published") && !rules.empty()) bench_published(seeds, catalog, rules);
    if (wanted("batch")) bench_batch(out);
    for (const auto& [format, files] : seeds)
        if (!parts.empty() && wanted("stages-" + format)) bench_stages(format, files, catalog);
    if (wanted("hostile")) bench_hostile_input(tests, out, catalog);
    fmt::print("\ncompile standard packs: {:.2f} ms wall, {:.2f} ms CPU on all threads, {} page faults ({} files, {} rules); "
               "again in the same process: median {:.2f} ms wall\n",
               compile_s * 1e3, compile_cpu_s * 1e3, compile_faults, packs.size(), rules.rules().size(),
               again[again.size() / 2] * 1e3);
    if (firsts.empty()) fmt::print("compile standard packs, first in a fresh process: could not run `{} --first-compile`\n", argv[0]);
    else fmt::print("compile standard packs, first in a fresh process ({} processes): median {:.2f} ms wall, {:.2f}–{:.2f} ms\n",
                    firsts.size(), firsts[firsts.size() / 2], firsts.front(), firsts.back());
    if (checked) fmt::print("check: {:.1f} µs per report on average\n", check_total * 1e6 / static_cast<double>(checked));
    fmt::print("peak RSS: {} MiB\n", peak_rss_mib());
    return 0;
}
