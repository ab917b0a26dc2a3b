#include "engine/model/metadata.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/model/block_position.hpp"
#include "engine/model/narrative.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

constexpr std::size_t kTitleSearchBlocks = 40;
constexpr std::size_t kTitleMaxChars = 80;
// A line longer than this (a title's most characters in UTF-8, and a label such as
// "标题：") is a paragraph.
constexpr std::size_t kParagraphBytes = kTitleMaxChars * 3 + 64;
constexpr int kMinYear = 2000, kMaxYear = 2100;

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

int cn_digit(char32_t c) {
    switch (c) {
        case U'〇': case U'零': case U'○': case U'O': return 0;
        case U'一': return 1; case U'二': return 2; case U'三': return 3; case U'四': return 4;
        case U'五': return 5; case U'六': return 6; case U'七': return 7; case U'八': return 8; case U'九': return 9;
        default: return -1;
    }
}

// Reads a run of digits (skipping spaces between them) starting at i; returns -1 if none.
long long read_int(const std::u32string& s, std::size_t& i, std::size_t max_digits = 4) {
    while (i < s.size() && is_space(s[i])) ++i;
    long long v = 0;
    std::size_t n = 0;
    while (i < s.size() && is_digit(s[i]) && n < max_digits) {
        v = v * 10 + (s[i] - U'0');
        ++i;
        ++n;
    }
    if (n == 0) return -1;
    while (i < s.size() && is_space(s[i])) ++i;
    return v;
}

// Parses "YYYY年M月D日" / "M月D日" / "YYYY-MM-DD" at i; fills what it finds.
bool read_date(const std::u32string& s, std::size_t& i, Date& out, int default_year) {
    std::size_t j = i;
    long long first = read_int(s, j);
    if (first < 0) return false;
    if (j < s.size() && s[j] == U'年' && first >= kMinYear && first < kMaxYear) {
        out.year = static_cast<int>(first);
        ++j;
        long long m = read_int(s, j, 2);
        if (m < 1 || m > 12 || j >= s.size() || s[j] != U'月') { i = j; return true; }
        out.month = static_cast<int>(m);
        ++j;
        long long d = read_int(s, j, 2);
        // As written, a day no month has too ("12月32日"): rules tell it by `valid`,
        // where a day read as unwritten hid the slip ("the date has no day").
        if (d >= 1 && j < s.size() && s[j] == U'日') {
            out.day = static_cast<int>(d);
            ++j;
        }
        i = j;
        return true;
    }
    if (j < s.size() && (s[j] == U'-' || s[j] == U'/' || s[j] == U'.') && first >= kMinYear && first < kMaxYear) {
        std::size_t k = j + 1;
        long long m = read_int(s, k, 2);
        if (m >= 1 && m <= 12 && k < s.size() && (s[k] == U'-' || s[k] == U'/' || s[k] == U'.')) {
            ++k;
            long long d = read_int(s, k, 2);
            if (d >= 1 && d <= 31) {
                out = Date{static_cast<int>(first), static_cast<int>(m), static_cast<int>(d)};
                i = k;
                return true;
            }
        }
        return false;
    }
    if (j < s.size() && s[j] == U'月' && first >= 1 && first <= 12) {
        ++j;
        long long d = read_int(s, j, 2);
        if (d >= 1 && d <= 31 && j < s.size() && s[j] == U'日') {
            out = Date{default_year, static_cast<int>(first), static_cast<int>(d)};
            i = j + 1;
            return true;
        }
    }
    return false;
}

// A date whose 年 (and 月) a copy-paste dropped: "20201月1日", "202012月31日",
// "202011日", "20201231日" — four digits of a year run on into the month (and
// day). Read only where a statistics period is stated, which says what to expect.
// The end of a period may leave its year out as well: "1231日" (default_year's).
bool read_run_together_date(const std::u32string& s, std::size_t& i, Date& out, int default_year) {
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    const std::size_t length = j - i;
    if (length > 8 || j >= s.size() || (i > 0 && is_digit(s[i - 1]))) return false;
    auto number = [&](std::size_t from, std::size_t count) {
        int v = 0;
        for (std::size_t k = from; k < from + count; ++k) v = v * 10 + static_cast<int>(s[k] - U'0');
        return v;
    };
    if (length == 4 && s[j] == U'日' && default_year > 0) {
        const int month = number(i, 2), day = number(i + 2, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31) return false;
        out = Date{default_year, month, day};
        i = j + 1;
        return true;
    }
    if (length < 5) return false;
    const int year = number(i, 4);
    if (year < kMinYear || year >= kMaxYear) return false;
    const std::size_t rest = length - 4;
    int month = 0, day = 0;
    std::size_t after = j + 1;
    if (s[j] == U'月' && rest <= 2) {
        month = number(i + 4, rest);
        std::size_t k = j + 1;
        long long d = read_int(s, k, 2);
        if (d < 1 || k >= s.size() || s[k] != U'日') return false;
        day = static_cast<int>(d);
        after = k + 1;
    } else if (s[j] == U'日' && (rest == 2 || rest == 4)) {
        month = number(i + 4, rest / 2);  // "11日": 1月1日; "1231日": 12月31日 (three digits would be ambiguous)
        day = number(i + 4 + rest / 2, rest / 2);
    } else {
        return false;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    out = Date{year, month, day};
    i = after;
    return true;
}

std::string strip_markup(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c != '*' && c != '#') out.push_back(c);
    return trim(out);
}

// Whether a line ends as the name of a government body does.
bool ends_like_agency(std::string_view line, const MetadataWords& words) {
    const std::u32string text = fold_chars(line);
    if (text.empty()) return false;
    return words.agency_endings.find(text.back()) != std::u32string::npos;
}

bool starts_with_any(std::string_view text, const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (text.starts_with(w)) return true;
    return false;
}

bool ends_with_any(std::string_view text, const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (text.ends_with(w)) return true;
    return false;
}

// Whether `text` holds one of `marks` (characters as written, UTF-8).
bool holds_any(std::string_view text, const std::vector<std::string>& marks) {
    for (const auto& m : marks)
        if (text.find(m) != std::string_view::npos) return true;
    return false;
}

// A table that lays a page out (its title, or the site's info table: 索引号, 发文机关,
// 标题, 发布日期…), not one of figures: a few rows of a few cells.
bool layout_table(const Table& table) { return table.rows.size() <= 10 && table.column_count <= 6; }

// The cells of a layout table, in order; none for a table of figures.
std::vector<std::string_view> layout_cells(const Block& block) {
    std::vector<std::string_view> cells;
    if (block.kind != BlockKind::Table || !layout_table(block.table)) return cells;
    for (const auto& row : block.table.rows)
        for (const auto& cell : row) cells.push_back(cell.text);
    return cells;
}

// The lines a title may be on: the first lines of the first blocks, and the
// cells of a small table among them (an old site's page lays its title out in one).
struct TitleLine {
    std::string text;
    bool heading = false;  // a block marked up as a heading, or bold throughout
};

std::vector<TitleLine> title_lines(const Document& doc) {
    std::vector<TitleLine> lines;
    const std::size_t limit = std::min(doc.blocks.size(), kTitleSearchBlocks);
    for (std::size_t b = 0; b < limit; ++b) {
        const Block& block = doc.blocks[b];
        if (block.kind == BlockKind::Table) {
            for (std::string_view cell : layout_cells(block)) lines.push_back({strip_markup(cell), false});
            continue;
        }
        const bool heading = block.kind == BlockKind::Heading || block.bold;
        // A heading broken with <br> is one block of several lines.
        std::string_view text = block.text;
        for (int n = 0; n < 3 && !text.empty(); ++n) {
            const std::size_t end = text.find('\n');
            const std::string_view line = text.substr(0, end);
            // A paragraph is no title, label or no label: kept as an empty line (it is
            // what stands above or below the next), and not copied (the first blocks
            // of a text report are its longest).
            lines.push_back({line.size() > kParagraphBytes ? std::string() : strip_markup(line), heading});
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        }
    }
    return lines;
}

// Whether a normalized line names a report: it holds all words of one of the report names.
bool names_report(const std::string& folded, const MetadataWords& words) {
    for (const auto& together : words.report_names)
        if (std::all_of(together.begin(), together.end(),
                        [&](const std::string& w) { return folded.find(w) != std::string::npos; }))
            return true;
    return false;
}

// The first year of the text written as one ("2021年", "2021 年度"); 0 if none.
int report_year(std::string_view text) {
    const std::u32string s = fold_chars(text);
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::size_t len = 0;
        const int year = leading_year(std::u32string_view(s).substr(i), &len);
        if (!year) continue;
        std::size_t after = i + len;
        while (after < s.size() && is_space(s[after])) ++after;
        if (after < s.size() && s[after] == U'年') return year;
    }
    return 0;
}

// Whether the text ends as a title does, with the last word of a report name, a
// bracket after it aside ("…年度报告（全文）"): not a notice about one
// ("…年度报告已发布"), nor a sentence naming one.
bool ends_as_title(std::string_view text, const MetadataWords& words) {
    std::u32string s = fold_chars(text);
    while (!s.empty() && is_space(s.back())) s.pop_back();
    if (!s.empty() && s.back() == U')')
        if (std::size_t open = s.rfind(U'('); open != std::u32string::npos) s.resize(open);
    const std::string ending = normalize_label(to_utf8(s));
    for (const auto& together : words.report_names)
        if (ending.ends_with(together.back())) return true;
    return false;
}

// The year alone on the line under a title: "（2022年度）", "2022年".
bool year_line(std::string_view line) {
    std::u32string s = fold_chars(line);
    std::erase_if(s, [](char32_t c) { return is_space(c) || c == U'(' || c == U')'; });
    std::size_t len = 0;
    if (!leading_year(s, &len) || len >= s.size() || s[len] != U'年') return false;
    return len + 1 == s.size() || (len + 2 == s.size() && s[len + 1] == U'度');
}

// A line of a list: a sidebar or a "related" list of other years' reports.
bool list_item(std::string_view line) {
    for (std::string_view mark : {"- ", "* ", "+ ", "• ", "· ", "·", "•"})
        if (line.starts_with(mark)) return true;
    return false;
}

void find_title(const Document& doc, const MetadataWords& words, Metadata& meta) {
    const std::vector<TitleLine> lines = title_lines(doc);
    const std::string subject = to_utf8(words.subject);
    // The subject's first half: a line holding it ends where a broken title was cut.
    const std::string subject_start = to_utf8(std::u32string_view(words.subject).substr(0, (words.subject.size() + 1) / 2));
    // Every line that names the report, joined with its other half, ranked: one that
    // has a year and ends as a title, one that ends as a title, one that names the
    // report. A site's column name ("政府信息公开年报"), its navigation or a notice
    // about the report ("…年度报告已发布") rank below the title. Among the best, a
    // heading wins, then (a page listing other years' reports beside its own) the
    // one of the statistics period's year, then the first.
    struct Candidate {
        std::string text;
        int rank;
        bool heading;
        int year;
        bool first;           // the document's first line
        bool other_report;    // after a label such as "上一篇："
        std::size_t line;     // in `lines`
        bool in_list = false;  // next to a title of another year: a list of reports
    };
    std::vector<Candidate> candidates;
    std::size_t first_line = 0;
    while (first_line < lines.size() && lines[first_line].text.empty()) ++first_line;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        // A line without the last character of any report name names none, and is not normalized.
        if (!holds_any(lines[i].text, words.report_name_marks)) continue;
        std::string text = lines[i].text;
        // A label before the title ("标题：…") is not part of it; a key and value
        // after it ("… 发布时间：2023-01-20") leave it whole. A label other than the
        // title's own names another report ("上一篇：", "相关报告："): below a line of
        // its own.
        bool other_report = false;
        for (std::string_view colon : {"：", ":"})
            if (std::size_t c = text.rfind(colon); c != std::string::npos) {
                std::string after = trim(text.substr(c + colon.size()));
                if (!names_report(normalize_label(after), words)) continue;
                other_report = !ends_with_any(normalize_label(text.substr(0, c)), words.title_labels);
                text = std::move(after);
            }
        if (text.empty() || char_count(text) > kTitleMaxChars) continue;
        // A page's breadcrumb ("首页 > 政务公开 > 年度报告") names the page's place, not the report.
        if (text.find('>') != std::string::npos || text.find("›") != std::string::npos || text.find("»") != std::string::npos)
            continue;
        const std::string folded = normalize_label(text);
        if (!names_report(folded, words)) continue;
        if (i > 0) {
            const std::string& above = lines[i - 1].text;
            const std::string above_folded = normalize_label(above);
            // A short line with no sentence in it, above a title broken under it or
            // starting with its year and naming no agency ("…局" over "2021年政府信息
            // 公开工作年度报告"): not a page's "首页", "打印本页", "来源：…局".
            const bool joinable = !above.empty() && char_count(above) <= kTitleMaxChars / 2 && !names_report(above_folded, words) &&
                                  above.find("。") == std::string::npos && above.find("：") == std::string::npos &&
                                  above.find(':') == std::string::npos && above.find('>') == std::string::npos;
            std::size_t after_year = folded.find("年");
            if (after_year != std::string::npos) after_year += std::string_view("年").size();
            if (after_year != std::string::npos && folded.compare(after_year, 3, "度") == 0) after_year += 3;
            const bool starts_with_year = !folded.empty() && folded[0] >= '0' && folded[0] <= '9' &&
                                          after_year != std::string::npos && !subject.empty() &&
                                          folded.compare(after_year, subject.size(), subject) == 0;
            const bool broken =
                starts_with_any(folded, words.title_continuations) &&
                (report_year(above) || ends_like_agency(above, words) ||
                 (!subject_start.empty() && above_folded.find(subject_start) != std::string::npos));
            const bool agency_above = starts_with_year && above.find_first_of("0123456789") == std::string::npos &&
                                      ends_like_agency(above, words);
            if (joinable && (broken || agency_above)) text = above + text;
        }
        if (!report_year(text) && i + 1 < lines.size() && year_line(lines[i + 1].text)) text += lines[i + 1].text;
        int rank = ends_as_title(text, words) ? (report_year(text) ? 2 : 1) : 0;
        if ((list_item(text) || other_report) && rank > 0) --rank;
        candidates.push_back({text, rank, lines[i].heading, report_year(text), i == first_line, other_report, i});
    }
    // The page's <meta> title when its text names the report nowhere else.
    if (candidates.empty() && names_report(normalize_label(doc.page_meta.title), words) &&
        char_count(doc.page_meta.title) <= kTitleMaxChars)
        candidates.push_back({doc.page_meta.title, 0, false, report_year(doc.page_meta.title), false, false, lines.size()});
    if (candidates.empty()) return;
    // Titles of other years next to each other are a list of reports (a sidebar, the
    // years past), below a title that stands alone.
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        auto& c = candidates[k];
        if (c.other_report || !c.year || c.heading) continue;  // a heading stands alone
        for (std::size_t n : {k - 1, k + 1})
            if (n < candidates.size() && !candidates[n].other_report && candidates[n].year &&
                candidates[n].year != c.year && (candidates[n].line + 1 == c.line || c.line + 1 == candidates[n].line))
                c.in_list = true;
    }
    for (auto& c : candidates)
        if (c.in_list && c.rank > 0) --c.rank;
    int best = -1;
    for (const auto& c : candidates) best = std::max(best, c.rank);
    const Candidate* chosen = nullptr;
    auto first_where = [&](auto wanted) -> const Candidate* {
        for (const auto& c : candidates)
            if (c.rank == best && wanted(c)) return &c;
        return nullptr;
    };
    // The document's first line is its title, whatever else a page lists: a period
    // copied from last year must not pick last year's title from a list below it.
    chosen = first_where([](const Candidate& c) { return c.first && !c.in_list; });
    if (!chosen) chosen = first_where([](const Candidate& c) { return c.heading; });
    if (!chosen && meta.period.parsed)
        chosen = first_where([&](const Candidate& c) { return c.year == meta.period.start.year; });
    if (!chosen) chosen = first_where([](const Candidate&) { return true; });
    meta.title = collapse_spaces(chosen->text);
}

// An agency's name as the title has it, mended where the title's wording cut it:
// "…人民政府信息公开工作…" shares 政府 between the name and the report's words
// ("云岭市人民" is 云岭市人民政府, `agency-completions`), and a second name in
// brackets after it ("XX市统计局（XX市普查中心）") is not what its name ends with.
std::string name_of_agency(std::u32string_view agency, const MetadataWords& words) {
    while (!agency.empty() && is_space(agency.back())) agency.remove_suffix(1);
    if (agency.size() > 2 && agency.back() == U')')
        if (std::size_t open = agency.rfind(U'('); open != std::u32string_view::npos && open > 0) agency = agency.substr(0, open);
    std::string name = trim(to_utf8(agency));
    for (const auto& [cut, whole] : words.agency_completions)
        if (agency.ends_with(cut)) return name + to_utf8(std::u32string_view(whole).substr(cut.size()));
    return name;
}

// The agency of the title's words before its year: without what introduces the
// report ("…局关于2021年…") or names it before the year ("…局政府信息公开工作2021年度报告").
std::string agency_of(std::u32string_view before_year, const MetadataWords& words) {
    if (!words.subject.empty())
        if (std::size_t k = before_year.find(words.subject); k != std::u32string_view::npos) before_year = before_year.substr(0, k);
    std::u32string_view agency = before_year;
    while (!agency.empty() && is_space(agency.back())) agency.remove_suffix(1);
    for (const auto& word : words.agency_joiners)
        if (agency.size() > word.size() && agency.ends_with(word)) agency.remove_suffix(word.size());
    return name_of_agency(agency, words);
}

void find_year_and_agency(const MetadataWords& words, Metadata& meta) {
    std::u32string title = fold_chars(meta.title);
    for (std::size_t i = 0; i < title.size(); ++i) {
        std::size_t len = 0;
        int year = leading_year(std::u32string_view(title).substr(i), &len);
        if (year == 0) continue;
        std::size_t after = i + len;
        while (after < title.size() && is_space(title[after])) ++after;
        if (after < title.size() && title[after] == U'年') {
            meta.year = year;
            meta.year_reason = "title: " + meta.title;
            meta.agency = agency_of(title.substr(0, i), words);
            if (meta.agency.empty() && !words.subject.empty()) {
                // "2025 年上海市人民政府办公厅政府信息公开工作年度报告": the agency follows the year.
                std::size_t k = title.find(words.subject, after);
                std::size_t from = after + 1;
                if (from < title.size() && title[from] == U'度') ++from;  // "2022年度云岭市…"
                if (k != std::u32string::npos && k > from)
                    meta.agency = name_of_agency(std::u32string_view(title).substr(from, k - from), words);
            }
            return;
        }
    }
    // "XX局政府信息公开工作年度报告" without a year: the agency is still the prefix.
    if (words.subject.empty()) return;
    std::size_t k = title.find(words.subject);
    if (k != std::u32string::npos) meta.agency = agency_of(title.substr(0, k), words);
}

// A year stated as the whole period right after the key ("统计期限为2021年度",
// "统计期限：2021年全年"): the year and where its words end. Not a year further on
// ("…为1月1日至12月31日，与2020年度一致").
std::optional<std::pair<int, std::size_t>> whole_year(const std::u32string& s, std::size_t from, std::size_t end) {
    std::size_t i = from;
    while (i < end && (is_space(s[i]) || std::u32string_view(U"为是:：").find(s[i]) != std::u32string_view::npos)) ++i;
    std::size_t len = 0;
    const int year = leading_year(std::u32string_view(s).substr(i, end - i), &len);
    if (year == 0 || i + len >= end || s[i + len] != U'年') return std::nullopt;
    const std::u32string_view rest = std::u32string_view(s).substr(i + len + 1, end - i - len - 1);
    for (std::u32string_view word : {std::u32string_view(U"度"), std::u32string_view(U"全年")})
        if (rest.starts_with(word) && !rest.substr(word.size()).starts_with(U"报告"))
            return std::make_pair(year, i + len + 1 + word.size());
    return std::nullopt;
}

// A date in Chinese numerals at `i` ("二〇二二年一月一日", or "十二月三十一日" in
// `default_year`), as a period may be written whole in words; `i` is left past it.
bool read_chinese_date(const std::u32string& s, std::size_t& i, Date& out, int default_year) {
    const auto numeral = [](char32_t c) { return std::u32string_view(U"〇○零一二两三四五六七八九十").find(c) != std::u32string_view::npos; };
    const std::u32string_view all(s);
    // The numerals from `from` up to the mark after them, or npos.
    const auto run_to = [&](std::size_t from, char32_t mark) {
        std::size_t j = from;
        while (j < s.size() && numeral(s[j])) ++j;
        return j > from && j < s.size() && s[j] == mark ? j : std::u32string_view::npos;
    };
    if (i >= s.size() || !numeral(s[i]) || (i > 0 && numeral(s[i - 1]))) return false;
    std::size_t at = i;
    int year = default_year;
    if (const std::size_t y = run_to(at, U'年'); y != std::u32string_view::npos) {
        const auto written = parse_chinese_year(all.substr(at, y - at));
        if (!written) return false;
        year = *written;
        at = y + 1;
    }
    const std::size_t m = run_to(at, U'月');
    if (year == 0 || m == std::u32string_view::npos) return false;
    const std::size_t d = run_to(m + 1, U'日');
    if (d == std::u32string_view::npos) return false;
    const auto month = parse_chinese_count(all.substr(at, m - at));
    const auto day = parse_chinese_count(all.substr(m + 1, d - m - 1));
    if (!month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return false;
    out = Date{year, static_cast<int>(*month), static_cast<int>(*day)};
    i = d + 1;
    return true;
}

void find_period(const Document& doc, const MetadataWords& words, Metadata& meta) {
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        const Block& block = doc.blocks[b];
        if (block.kind == BlockKind::Table) continue;
        // A key starts in this line (and may run on into the next): skip the folding
        // for the lines without the first character of any.
        if (!holds_any(block.text, words.period_key_marks)) continue;
        // Text extracted from PDFs breaks sentences across lines: read on into the
        // next two lines (columns are then approximate past the first line).
        std::string joined = block.text;
        for (std::size_t k = b + 1; k < doc.blocks.size() && k <= b + 2; ++k)
            if (doc.blocks[k].kind != BlockKind::Table) joined += doc.blocks[k].text;
        const std::size_t own_chars = char_count(block.text);
        FoldedText folded = fold(joined);
        const std::u32string& s = folded.chars;
        for (const auto& key : words.period_keys) {
            std::size_t k = s.find(key);
            if (k == std::u32string::npos || k >= own_chars) continue;
            std::size_t end = s.find_first_of(U"。;\n", k);
            if (end != std::u32string::npos && end < s.size() && s[end] == U'\n') end = s.find_first_of(U"。;", k);
            if (end == std::u32string::npos) end = s.size();
            StatisticsPeriod& p = meta.period;
            p.found = true;
            p.text = to_utf8(s.substr(k, end - k));
            p.pos = position_in_text(block.pos, block.anchors, newline_offsets(block.text), folded.origin[k]);
            // Dates after the key: "从2019年1月1日至2019年12月31日", "为2025年1月1日至12月31日".
            std::size_t i = k + key.size();
            Date start, finish;
            auto date_at = [&](std::size_t& at, Date& d, int default_year) {
                return read_run_together_date(s, at, d, default_year) || read_date(s, at, d, default_year) ||
                       read_chinese_date(s, at, d, default_year);
            };
            while (i < end && !date_at(i, start, 0)) ++i;
            if (start.year == 0 || start.month == 0) {
                // "统计期限为2021年度", "为2021年全年": the whole year.
                if (auto year = whole_year(s, k + key.size(), end)) {
                    p.start = Date{year->first, 1, 1};
                    p.end = Date{year->first, 12, 31};
                    p.text = to_utf8(s.substr(k, year->second - k));
                    p.parsed = true;
                }
                return;
            }
            while (i < end && !date_at(i, finish, start.year)) ++i;
            if (finish.month == 0) return;
            // The period ends with its last date (and 止), not with the sentence.
            if (i < end && s[i] == U'止') ++i;
            p.text = to_utf8(s.substr(k, std::min(i, end) - k));
            p.start = start;
            p.end = finish;
            p.parsed = true;
            return;
        }
    }
}

// "二〇二二年一月二十日": a signature date in Chinese numerals, the whole line (its
// opening parenthesis already skipped).
std::optional<Date> chinese_date(std::u32string_view s) {
    while (!s.empty() && (is_space(s.back()) || s.back() == U')')) s.remove_suffix(1);
    const std::size_t y = s.find(U'年'), m = s.find(U'月'), d = s.find(U'日');
    if (y == std::u32string_view::npos || m == std::u32string_view::npos || d == std::u32string_view::npos || !(y < m && m < d) ||
        d + 1 != s.size())
        return std::nullopt;
    const auto year = parse_chinese_year(s.substr(0, y));
    const auto month = parse_chinese_count(s.substr(y + 1, m - y - 1));
    const auto day = parse_chinese_count(s.substr(m + 1, d - m - 1));
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
    return Date{*year, static_cast<int>(*month), static_cast<int>(*day)};
}

// A whole date (year, month and day) at `i` of `s`, after the spaces, colons and
// brackets that may stand between a key and its date ("发布时间 : 2023年04月20日",
// "发布日期：[2023-03-20]", "【…】"); `i` is left past what was skipped.
std::optional<Date> date_after(const std::u32string& s, std::size_t& i) {
    while (i < s.size() && (is_space(s[i]) || s[i] == U':' || s[i] == U'[' || s[i] == U'【')) ++i;
    std::size_t at = i;
    Date d;
    if (read_date(s, at, d, 0) && d.year && d.month && d.day) return d;
    return std::nullopt;
}

// Whether one of `words` ends `s` right before `at`: 更新 before 时间.
bool word_before(const std::u32string& s, std::size_t at, const std::vector<std::u32string>& words) {
    const std::u32string_view before = std::u32string_view(s).substr(0, at);
    for (const auto& w : words)
        if (before.ends_with(w)) return true;
    return false;
}

// A signature's date: a line that is a date ("2023年1月18日", "二〇二三年一月十八日",
// "（2023年1月18日）"), or a short agency name then a date. With whether the line
// names the agency itself.
std::optional<std::pair<Date, bool>> signature_date(const std::u32string& s, const MetadataWords& words) {
    std::size_t i = 0;
    while (i < s.size() && (is_space(s[i]) || s[i] == U'(')) ++i;
    Date d;
    std::size_t at = i;
    if (read_date(s, at, d, 0) && d.year && d.month && d.day) return std::make_pair(d, false);
    if (auto spelled = chinese_date(std::u32string_view(s).substr(i))) return std::make_pair(*spelled, false);
    // "XX市统计局　2023年4月18日": the name, a space, and the date ending the line.
    const std::size_t space = s.find_last_of(U" \u3000\t");
    if (space == std::u32string::npos || space == 0) return std::nullopt;
    std::size_t name_end = space;
    while (name_end > 0 && is_space(s[name_end - 1])) --name_end;
    if (!ends_like_agency(to_utf8(s.substr(0, name_end)), words)) return std::nullopt;
    at = space + 1;
    if (read_date(s, at, d, 0) && d.year && d.month && d.day && at >= s.size()) return std::make_pair(d, true);
    if (auto spelled = chinese_date(std::u32string_view(s).substr(space + 1))) return std::make_pair(*spelled, true);
    return std::nullopt;
}

void find_publication_date(const Document& doc, const MetadataWords& words, Metadata& meta) {
    // Site pages print "发布时间：2020-03-06" / "日期:2018-02-08" near the top; signed
    // reports end with a date line "2026年1月23日". Keys are tried in order: the
    // published keys, then the bare date keys with their colon.
    struct Key {
        std::u32string folded;
        bool bare;  // a date key: another time may name it
    };
    std::vector<Key> keys;
    for (const auto& k : words.published_keys) keys.push_back({k, false});
    for (const auto& k : words.date_keys) keys.push_back({k + U':', true});
    // The document's own date (成文日期), when nothing says when the page came out:
    // never later than publication, so a late one still shows a late report.
    std::optional<std::pair<Date, SourcePos>> written_on;
    std::size_t head = std::min<std::size_t>(doc.blocks.size(), kTitleSearchBlocks);
    for (std::size_t b = 0; b < head; ++b) {
        // An old site's page lays its title and date out in a small table.
        const Block& block = doc.blocks[b];
        std::string cells;
        for (std::string_view cell : layout_cells(block)) (cells += cell) += '\n';
        const std::string& text = block.kind == BlockKind::Table ? cells : block.text;
        // A block without the last character of any key (as written) is passed over
        // without folding it: the first blocks of a text report are its longest paragraphs.
        if (!holds_any(text, words.date_key_marks)) continue;
        const std::u32string s = fold_chars(text);
        for (const auto& [folded_key, bare] : keys) {
            for (std::size_t k = s.find(folded_key); k != std::u32string::npos; k = s.find(folded_key, k + 1)) {
                // A bare "时间:" is the page's date unless another time names it:
                // 更新时间, 打印时间, 统计时间 (the period), 访问时间, 成文日期…
                if (bare && word_before(s, k, words.written_on)) {
                    std::size_t at = k + folded_key.size();
                    if (!written_on)
                        if (auto d = date_after(s, at)) written_on = std::make_pair(*d, block.pos);
                    continue;
                }
                if (bare && word_before(s, k, words.other_times)) continue;
                std::size_t i = k + folded_key.size();
                if (auto d = date_after(s, i)) {
                    meta.published = d;
                    meta.published_pos = block.pos;
                    return;
                }
                // An info table flattened to a line per cell: the date is the next line.
                if (i == s.size() && b + 1 < doc.blocks.size() && doc.blocks[b + 1].kind != BlockKind::Table) {
                    std::size_t j = 0;
                    if (auto d = date_after(fold_chars(doc.blocks[b + 1].text), j)) {
                        meta.published = d;
                        meta.published_pos = doc.blocks[b + 1].pos;
                        return;
                    }
                }
            }
        }
    }
    // The page's <meta> date (an HTML page whose text prints none).
    std::size_t start = 0;
    if (auto d = date_after(fold_chars(doc.page_meta.published), start)) {
        meta.published = d;
        meta.published_pos = doc.page_meta.published_pos;
        return;
    }
    // The signature: a date on a short line of its own, or after the agency's name on
    // one ("XX市统计局　2023年4月18日"). After it a page may list related items, a
    // timestamp or a dated note: a date under a line that ends as an agency's name
    // is the signature's, before any other of the last lines.
    std::optional<std::pair<Date, SourcePos>> last_dated;
    const std::size_t tail = std::min<std::size_t>(doc.blocks.size(), 12);
    for (std::size_t n = 0; n < tail; ++n) {
        const std::size_t b = doc.blocks.size() - 1 - n;
        const Block& block = doc.blocks[b];
        if (block.kind == BlockKind::Table || char_count(block.text) > 40) continue;
        const std::u32string s = fold_chars(block.text);
        auto signed_here = signature_date(s, words);
        if (!signed_here) continue;
        const bool after_agency = signed_here->second || (b > 0 && doc.blocks[b - 1].kind != BlockKind::Table &&
                                                          char_count(doc.blocks[b - 1].text) <= 40 &&
                                                          ends_like_agency(doc.blocks[b - 1].text, words));
        if (after_agency) {
            meta.published = signed_here->first;
            meta.published_pos = block.pos;
            return;
        }
        if (!last_dated && n < 8 && char_count(block.text) <= 16) last_dated = std::make_pair(signed_here->first, block.pos);
    }
    if (!last_dated) last_dated = written_on;
    if (last_dated) {
        meta.published = last_dated->first;
        meta.published_pos = last_dated->second;
    }
}

}  // namespace

int leading_year(std::u32string_view text, std::size_t* length) {
    std::size_t i = 0;
    int year = 0;
    std::size_t digits = 0;
    while (i < text.size() && digits < 4) {
        char32_t c = text[i];
        int d = is_digit(c) ? static_cast<int>(c - U'0') : cn_digit(c);
        if (d < 0) {
            if (is_space(c) && digits > 0) { ++i; continue; }
            break;
        }
        year = year * 10 + d;
        ++digits;
        ++i;
    }
    if (digits != 4 || year < kMinYear || year >= kMaxYear) return 0;
    if (i < text.size() && is_digit(text[i])) return 0;
    if (length) *length = i;
    return year;
}

Metadata read_metadata(const Document& doc, const MetadataWords& words) {
    Metadata meta;
    find_period(doc, words, meta);  // a page listing several years' reports: the period's is its title
    find_title(doc, words, meta);
    find_year_and_agency(words, meta);
    if (meta.year == 0 && meta.period.parsed) {
        meta.year = meta.period.start.year;
        meta.year_reason = "statistics period: " + meta.period.text;
    }
    find_publication_date(doc, words, meta);
    return meta;
}

}  // namespace gouji
