// `gouji check --format html`: one self-contained page for a compliance officer
// to read, print and keep (docs/html.md). Written a report at a time like the
// JSON: the page's head first, then each report's <section> as it is done, the
// batch's summary last; a browser shows a page cut off after any section.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/output/finding_words.hpp"
#include "engine/output/quoting.hpp"
#include "gouji/outputs.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

// Characters an HTML document may not hold (C0 controls but tab and line feed,
// DEL, C1 controls, noncharacters): a parser would reject or rewrite them.
bool forbidden_in_html(char32_t c) {
    return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFE) == 0xFFFE;
}

// The one way a text of a report, a rule pack, a file name or the command line
// reaches the page: markup characters escaped (for text and attribute values
// alike), bytes that are not UTF-8 and characters HTML forbids as U+FFFD.
std::string html_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const char32_t c = next_char(text, i);
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                // next_char gives U+FFFD for a bad byte, which is not to be copied.
                if (forbidden_in_html(c) || c == 0xFFFD) out += "\uFFFD";
                else out.append(text.substr(start, i - start));
        }
    }
    return out;
}

// A file name on one line: its tabs and line breaks are no layout.
std::string html_file(std::string_view file) { return html_text(printable(file, false)); }

// The words of the terminal listing, in Chinese first for the officer, with the
// English term the JSON and the listing use.
struct SeverityLabel {
    std::string_view css, words;
};

SeverityLabel severity_label(Severity s) {
    switch (s) {
        case Severity::Error: return {"sev-error", "错误 error"};
        case Severity::Warning: return {"sev-warning", "警告 warning"};
        case Severity::Info: return {"sev-info", "提示 info"};
    }
    return {"sev-info", "提示 info"};
}

constexpr SeverityLabel not_assessable_label{"sev-na", "无法评估 not assessable"};

SeverityLabel finding_severity(const Finding& f) { return f.assessable ? severity_label(f.severity) : not_assessable_label; }

std::string badge(SeverityLabel label, std::string_view extra = {}) {
    return fmt::format("<span class=\"badge {}\">{}{}</span>", label.css, label.words, extra);
}

// What --min-severity left out of the counts beside them: a report whose
// warnings were left out is not a report with no findings.
std::string left_out_html(std::size_t left_out) {
    return fmt::format("<span class=\"left-out\">另有 {} 项低于 --min-severity 的问题未列出 {} below --min-severity not shown</span>",
                       left_out, plural(left_out, "finding"));
}

// The four counts; `nonzero_only` for the summary's list of reports, which for
// 100,000 reports would be tens of megabytes of zeros otherwise. `left_out`:
// the findings --min-severity left out, said after them.
std::string counts_html(const FindingsSummary& s, bool nonzero_only = false, std::size_t left_out = 0) {
    std::string out;
    auto one = [&](SeverityLabel label, std::size_t n) {
        if (nonzero_only && n == 0) return;
        out += fmt::format("{}<span class=\"badge {}{}\">{} <b>{}</b></span>", out.empty() ? "" : " ", label.css,
                           n ? "" : " zero", label.words, n);
    };
    one(severity_label(Severity::Error), s.errors);
    one(severity_label(Severity::Warning), s.warnings);
    one(severity_label(Severity::Info), s.infos);
    one(not_assessable_label, s.not_assessable);
    if (left_out) return out + (out.empty() ? "" : " ") + left_out_html(left_out);
    return out.empty() ? "<span class=\"clean-note\">无问题 no findings</span>" : out;
}

// 表三「本年新收」×「商业企业」: how the suggestion and the location name a cell.
std::string cell_words(const std::string& table, const std::string& row, const std::string& column) {
    return html_text(table) + "「" + html_text(row) + "」×「" + html_text(column) + "」";
}

// Line and column (DOCX: paragraph; PDF: with its page), and the file when it
// is not the report's (a cell of last year's report).
std::string position_words(const SourcePos& pos, const std::string& format, const std::string& file = {}) {
    if (!pos.known()) return "—";
    std::string out = file.empty() ? std::string() : html_file(file) + " ";
    if (pos.page) out += fmt::format("第{}页 page {}, ", pos.page, pos.page);
    const std::uint32_t column = pos.column == 0 ? 1 : pos.column;
    if (format == "docx") return out + fmt::format("段 paragraph {}:{}", pos.line, column);
    return out + fmt::format("{}:{}", pos.line, column);
}

// Why a value has no number, in Chinese before the JSON's word.
const char* missing_words(MissingReason reason) {
    switch (reason) {
        case MissingReason::None: return "";
        case MissingReason::Blank: return "空白 ";
        case MissingReason::Slash: return "斜杠 ";
        case MissingReason::Dash: return "横线 ";
        case MissingReason::Nil: return "写作“无” ";
        case MissingReason::Absent: return "缺失 ";
        case MissingReason::Unparseable: return "不是数字 ";
        case MissingReason::Unplaced: return "无法定位 ";
    }
    return "";
}

// A value as the report wrote it; for a long one (a page run together) its start.
std::string as_written(const CellRef& c) {
    if (!c.text.empty()) return html_text(quoting::quoted_line(c.text, 1).text);
    // A table cell with a number and no text is a blank its table means 0 by (T3-BLANK-ZERO).
    if (c.value.has_number() && !c.table.empty() && c.numeric)
        return html_text(format_number(c.value.number, c.value.decimals)) + " <i>（空白，按 0 计 blank）</i>";
    if (c.value.has_number()) return html_text(format_number(c.value.number, c.value.decimals) + c.value.unit);
    return std::string("<i>（") + missing_words(c.value.missing) + html_text(to_string(c.value.missing)) + "）</i>";
}

// Which side of a sum a value is on: the sign of its coefficient in lhs − rhs.
std::string side_words(const CellRef& c) {
    if (!c.coefficient) return {};
    const double k = *c.coefficient;
    if (k == 0) return "不在等式中 not in it";
    std::string out = k > 0 ? "左边 left" : "右边 right";
    if (std::fabs(k) != 1) out += " ×" + html_text(format_number(std::fabs(k), std::fabs(k) == std::floor(std::fabs(k)) ? 0 : 2));
    return out;
}

// The bytes of `text` from character `from` (0-based) on.
std::size_t byte_of_char(std::string_view text, std::size_t from) {
    std::size_t i = 0;
    for (std::size_t n = 0; n < from && i < text.size(); ++n) next_char(text, i);
    return i;
}

// The source line under a finding with the finding's cell marked, or for a
// format whose lines are no reader's (HTML source, DOCX, PDF) the cell's text.
std::string quote_html(const Finding& f, const ReportFindings& report) {
    const SourcePos& pos = f.location.pos;
    if (!pos.known()) return {};
    const CellRef* cell = quoting::cell_at_location(f);
    auto line = report.source_lines.find(pos.line);
    if (line != report.source_lines.end()) {
        const quoting::QuotedLine quoted = quoting::quoted_line(line->second, pos.column == 0 ? 1 : pos.column);
        const std::string_view text = quoted.text;
        const std::size_t at = byte_of_char(text, quoted.column - 1);
        // The cell's text when the line holds it there; else the one character.
        std::size_t end = at;
        if (cell && !cell->text.empty() && text.substr(at).starts_with(cell->text)) end = at + cell->text.size();
        else if (at < text.size()) next_char(text, end);
        return fmt::format("<pre class=\"source\"><span class=\"ln\">{} |</span> {}<mark>{}</mark>{}</pre>\n", pos.line,
                           html_text(text.substr(0, at)), html_text(text.substr(at, end - at)),
                           html_text(text.substr(end)));
    }
    if (!cell) return {};
    std::string what = cell->table.empty() ? html_text(cell->path) : cell_words(cell->table, cell->row, cell->column);
    // A table member (表三.blanks_read_as_zero) is shown by a cell of its table: as that cell is written.
    const bool member = !cell->numeric && !cell->row.empty();
    return "<p class=\"source\">「<mark>" + (member ? html_text(quoting::quoted_line(cell->text, 1).text) : as_written(*cell)) +
           "</mark>」 <span class=\"dim\">(" + what + ")</span></p>\n";
}

std::string cells_html(const Finding& f, const std::string& format) {
    const std::vector<const CellRef*> cells = quoting::listed_cells(f);
    if (cells.empty()) return {};
    const bool sides = std::any_of(cells.begin(), cells.end(), [](const CellRef* c) { return c->coefficient.has_value(); });
    std::string out = "<table class=\"cells\"><thead><tr><th>所用数值 value used</th><th>原文 as written</th>"
                      "<th>位置 line:column</th>";
    out += sides ? "<th>等式一侧 side</th></tr></thead><tbody>\n" : "</tr></thead><tbody>\n";
    for (const CellRef* c : cells) {
        out += "<tr><td>" + html_text(c->path) + "</td><td class=\"written\">" + as_written(*c) + "</td><td>" +
               position_words(c->pos, format, c->file) + "</td>";
        out += sides ? "<td>" + side_words(*c) + "</td></tr>\n" : "</tr>\n";
    }
    return out + "</tbody></table>\n";
}

// 将 表三「本年新收」×「商业企业」由 0 改为 9，可同时消除 …
std::string suggestion_html(const Suggestion& s) {
    std::string fixes;
    for (const auto& x : s.fixes) fixes += (fixes.empty() ? "" : "、") + ("<code>" + html_text(x) + "</code>");
    return "<p class=\"suggestion\"><strong>建议 suggestion</strong>：将 " + cell_words(s.table, s.row, s.column) + "由 " +
           html_text(format_number(s.current, s.decimals)) + " 改为 <strong>" +
           html_text(format_number(s.value, s.decimals)) + "</strong>，" + (s.fixes.size() > 1 ? "可同时消除 " : "可消除 ") +
           fixes + "</p>\n";
}

std::string finding_html(const Finding& f, const ReportFindings& report) {
    const SeverityLabel label = finding_severity(f);
    std::string out = fmt::format("<article class=\"finding {}\">\n<h3>{} <code class=\"rule\">{}</code>", label.css,
                                  badge(label), html_text(finding_label(f)));
    if (!f.title.empty()) out += " <span class=\"title\">" + html_text(f.title) + "</span>";
    out += "</h3>\n<p class=\"message\">" + html_text(f.message) + "</p>\n";
    const FindingLocation& at = f.location;
    out += "<p class=\"where\"><span>位置 location " + position_words(at.pos, report.format) + "</span>";
    if (!at.section.empty()) out += " <span>部分 section " + html_text(at.section) + "</span>";
    if (!at.table.empty()) out += " <span>单元格 cell " + cell_words(at.table, at.row, at.column) + "</span>";
    out += "</p>\n" + quote_html(f, report) + cells_html(f, report.format);
    if (f.suggestion) out += suggestion_html(*f.suggestion);
    if (!f.basis.empty()) out += "<p class=\"basis\"><strong>依据 basis</strong>：" + html_text(f.basis) + "</p>\n";
    out += "<p class=\"rule-info\"><span>规则包 pack " + html_text(f.pack) + "</span> <span>类型 kind " +
           html_text(to_string(f.kind)) + "</span>";
    if (!f.severity_from.empty())
        out += " <span>严重程度由 severity set by " + html_text(f.severity_from) + "</span>";
    if (!f.tags.empty()) {
        std::string tags;
        for (const auto& t : f.tags) tags += (tags.empty() ? "" : ", ") + html_text(t);
        out += " <span>标签 tags " + tags + "</span>";
    }
    return out + "</p>\n</article>\n";
}

// What an entry says of its report to the batch's summary, on its first line
// (write() takes it off): the counts, whether it could be read, its file.
enum class Standing : char { Clean = 'c', Findings = 'f', Unreadable = 'u', RuleErrors = 'r' };

Standing standing_of(const ReportFindings& report) {
    if (report.error) return Standing::Unreadable;
    if (!report.rule_errors.empty()) return Standing::RuleErrors;
    // Findings --min-severity left out are findings all the same: not a clean report.
    return report.findings.empty() && !report.findings_not_shown ? Standing::Clean : Standing::Findings;
}

std::string report_html(const ReportFindings& report) {
    const Standing standing = standing_of(report);
    std::string out = "<h2 class=\"file\">" + html_file(report.file) + " <a class=\"up\" href=\"#summary\">↑ 汇总 summary</a></h2>\n";
    if (report.error) {
        const char* what = report.folder ? (report.previous_year ? "上年报告文件夹未能使用 --previous folder gave no report"
                                                                 : "无法读取的文件夹 folder could not be read")
                                         : (report.previous_year ? "上年报告未能使用 --previous report not used"
                                                                 : "无法读取 could not be read");
        return out + "<p class=\"problem\"><strong>" + what + "</strong> " + html_text(report.error->describe()) + "</p>\n";
    }
    out += "<p class=\"meta\"><span>模板 template " +
           (report.template_id.empty() ? std::string("未识别 unknown") : html_text(report.template_id)) + "</span>";
    if (report.year) out += fmt::format(" <span>年度 year {}</span>", report.year);
    if (!report.agency.empty()) out += " <span>机关 agency " + html_text(report.agency) + "</span>";
    out += " <span>格式 format " + html_text(report.format) + "</span>";
    if (!report.previous.empty()) out += " <span>上年报告 previous year " + html_file(report.previous) + "</span>";
    out += "</p>\n<p class=\"counts\">" + counts_html(summarize(report.findings), false, report.findings_not_shown) +
           "</p>\n";
    if (standing == Standing::RuleErrors) {
        out += "<div class=\"problem\"><strong>规则未能完成 rules that could not finish</strong>"
               "（其余规则的结果仍有效 the other rules' findings stand）<ul>\n";
        for (const auto& e : report.rule_errors)
            out += "<li>" + (e.rule().empty() ? std::string() : "<code>" + html_text(e.rule()) + "</code> ") +
                   html_text(e.describe()) + "</li>\n";
        out += "</ul></div>\n";
    }
    if (!report.reader_warnings.empty()) {
        out += "<div class=\"caution\"><strong>读取警告 reader warnings</strong>（报告文本可能不完整 the text may be incomplete）<ul>\n";
        for (const auto& w : report.reader_warnings) out += "<li>" + html_text(w) + "</li>\n";
        out += "</ul></div>\n";
    }
    if (standing == Standing::Clean) out += "<p class=\"clean-note\">未发现问题 no findings</p>\n";
    for (const auto& f : report.findings) out += finding_html(f, report);
    return out;
}

// No url(), @import or font: the page is read offline and kept for years.
// Colours come with words and border styles, for a print in black and white.
// A quoted table line keeps its columns on screen (it scrolls) and wraps on
// paper, which cannot scroll.
constexpr std::string_view stylesheet = R"css(
:root{--error:#b3261e;--warning:#8a5a00;--info:#0b5cad;--na:#5f6368}
*{box-sizing:border-box}
body{display:flex;flex-direction:column;margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.55 sans-serif;color:#1f1f1f;background:#fff}
header.run{order:-2}
#summary{order:-1;border:2px solid #1f1f1f;padding:.5rem 1rem;margin:1rem 0}
main{order:0}
h1{font-size:1.5rem;margin:.2rem 0}
h1 small{font-weight:normal;color:#555;font-size:1rem}
table{border-collapse:collapse}
th,td{border:1px solid #bbb;padding:.15rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f1f1;font-weight:600}
table.run-info th{white-space:nowrap}
code,pre{font-family:monospace}
.report{border-top:3px solid #1f1f1f;margin-top:1.5rem;padding-top:.3rem}
.report h2{font-size:1.2rem;margin:.3rem 0;word-break:break-all}
a.up{font-size:.8rem;font-weight:normal;margin-left:.5rem}
.meta span,.where span,.rule-info span{margin-right:1rem}
.meta span,.where span,.rule-info span{white-space:nowrap}
.finding{border-left:6px solid var(--na);margin:.8rem 0;padding:.2rem .8rem;background:#fafafa;break-inside:avoid}
.finding.sev-error{border-left:6px solid var(--error)}
.finding.sev-warning{border-left:6px dashed var(--warning)}
.finding.sev-info{border-left:6px dotted var(--info)}
.finding.sev-na{border-left:6px double var(--na)}
.finding h3{font-size:1rem;margin:.3rem 0}
.finding .title{font-weight:normal}
.message{white-space:pre-wrap;margin:.2rem 0;font-weight:600}
.where,.rule-info{color:#444;font-size:.9rem;margin:.2rem 0}
.badge{display:inline-block;border:2px solid;border-radius:3px;padding:0 .35rem;font-size:.85rem;font-weight:700;white-space:nowrap}
.badge.sev-error{color:#fff;background:var(--error);border-color:var(--error)}
.badge.sev-warning{color:#1f1f1f;background:#ffd54f;border-style:dashed;border-color:var(--warning)}
.badge.sev-info{color:var(--info);background:#e8f0fe;border-style:dotted}
.badge.sev-na{color:var(--na);background:#eee;border-style:double;border-width:3px}
.badge.zero{opacity:.55}
pre.source{background:#f4f4f4;border:1px solid #ddd;padding:.3rem .5rem;white-space:pre;overflow-x:auto;margin:.3rem 0}
.ln,.dim{color:#777}
mark{background:#ffe082;color:inherit;outline:2px solid #c77700;font-weight:700;text-decoration:underline}
table.cells{font-size:.9rem;margin:.3rem 0}
td.written{font-family:monospace}
.suggestion{background:#e6f4ea;border:1px solid #34a853;padding:.2rem .5rem;margin:.3rem 0}
.problem{border:2px solid var(--error);background:#fce8e6;padding:.3rem .6rem;margin:.4rem 0}
.caution{border:2px dashed var(--warning);background:#fff8e1;padding:.3rem .6rem;margin:.4rem 0}
.clean-note{color:#137333;font-weight:600}
.unfinished{border:2px dashed var(--error);padding:.3rem .6rem}
body:has(#summary) .unfinished{display:none}
.filter label{margin-right:1rem;white-space:nowrap}
body:has(#hide-error:checked) .finding.sev-error,
body:has(#hide-warning:checked) .finding.sev-warning,
body:has(#hide-info:checked) .finding.sev-info,
body:has(#hide-na:checked) .finding.sev-na,
body:has(#hide-clean:checked) .report.clean{display:none}
ol.index li{margin:.1rem 0}
ol.index .badge{font-size:.75rem}
@media print{
 body{max-width:none;padding:0;font-size:11pt}
 .filter,a.up{display:none}
 a{color:inherit;text-decoration:none}
 .report{break-before:page;border-top:2px solid #000}
 .finding{background:none}
 pre.source{white-space:pre-wrap;word-break:break-all}
 .badge,mark,.finding,.suggestion,.problem{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

std::string page_head(const RunInfo& run) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        + std::string(html_page_generator) + html_text(run.tool_version) + "\"/>\n"
        "<title>政府信息公开工作年度报告审核结果 gouji audit</title>\n<style>" + std::string(stylesheet) +
        "</style>\n</head>\n<body>\n<header class=\"run\">\n"
        "<h1>政府信息公开工作年度报告审核结果 <small>gouji audit report</small></h1>\n<table class=\"run-info\">\n"
        "<tr><th>gouji 版本 version</th><td>" + html_text(run.tool_version) + "</td></tr>\n";
    if (!run.started_utc.empty())
        out += "<tr><th>开始时间 started (UTC)</th><td>" + html_text(run.started_utc) + "</td></tr>\n";
    if (!run.working_directory.empty())
        out += "<tr><th>工作目录 working directory</th><td>" + html_file(run.working_directory) + "</td></tr>\n";
    if (!run.arguments.empty())
        out += "<tr><th>命令 command line</th><td><code>" + html_text(printable(shell_command_line(run.arguments), false)) + "</code></td></tr>\n";
    out += "<tr><th>规则包 rule packs</th><td>";
    for (const auto& p : run.packs)
        out += "<code>" + html_text(p.id) + "</code> " + (p.version.empty() ? std::string() : html_text(p.version) + " ") +
               (p.title.empty() ? std::string() : "<span class=\"dim\">" + html_text(p.title) + "</span>") + "<br/>";
    return out + "</td></tr>\n</table>\n"
                 "<p class=\"unfinished\">汇总 (summary) 写在审核结束时；如本页没有汇总，说明审核中途停止，本页只含已完成的报告。"
                 " The summary is written when the run ends: a page without one holds only the reports done before the run stopped.</p>\n"
                 "</header>\n<main>\n";
}

class HtmlWriter final : public ResultsWriter {
public:
    HtmlWriter(std::ostream& out, const RunInfo& run) : out_(out) { out_ << page_head(run) << std::flush; }

    // First line: "errors warnings infos not_assessable left_out standing file"
    // (the file as the page writes it), for the summary's list; then the section's body.
    std::string entry(const ReportFindings& report) const override {
        const FindingsSummary s = summarize(report.findings);
        return fmt::format("{} {} {} {} {} {} {}\n", s.errors, s.warnings, s.infos, s.not_assessable,
                           report.findings_not_shown, static_cast<char>(standing_of(report)), html_file(report.file)) +
               report_html(report);
    }

    void write(const std::string& entry) override {
        const std::size_t eol = entry.find('\n');
        Listed listed;
        const char* p = entry.data();
        const char* const end = entry.data() + eol;
        for (std::size_t* n : {&listed.counts.errors, &listed.counts.warnings, &listed.counts.infos,
                               &listed.counts.not_assessable, &listed.left_out})
            p = std::from_chars(p, end, *n).ptr + 1;
        listed.standing = static_cast<Standing>(*p);
        listed.file.assign(p + 2, end);
        const std::size_t number = listed_.size() + 1;
        out_ << fmt::format("<section class=\"report {}\" id=\"report-{}\">\n", section_class(listed.standing), number)
             << std::string_view(entry).substr(eol + 1) << "</section>\n"
             << std::flush;
        listed_.push_back(std::move(listed));
    }

    void close(const BatchTally& tally) override;
    bool good() const override { return static_cast<bool>(out_); }
    bool quotes_source() const override { return true; }

private:
    // What the summary lists of each report. Only this is kept of a batch: a
    // file name and four counts, some megabytes for 100,000 reports, where their
    // findings would be gigabytes.
    struct Listed {
        FindingsSummary counts;
        std::size_t left_out = 0;  // by --min-severity
        Standing standing = Standing::Clean;
        std::string file;  // escaped
    };

    static const char* section_class(Standing s) {
        switch (s) {
            case Standing::Clean: return "clean";
            case Standing::Findings: return "has-findings";
            case Standing::Unreadable: return "unreadable";
            case Standing::RuleErrors: return "rule-errors";
        }
        return "";
    }

    std::ostream& out_;
    std::vector<Listed> listed_;
};

void HtmlWriter::close(const BatchTally& tally) {
    std::string out = fmt::format("</main>\n<aside id=\"summary\" class=\"summary\">\n<h2>汇总 summary</h2>\n"
                                  "<p>已审核 {} 份报告 reports checked", tally.reports);
    if (tally.passed_over)
        out += fmt::format("；另有 {} 个文件不是报告，已略过 files passed over, not reports", tally.passed_over);
    out += "</p>\n<p class=\"counts\">" + counts_html(tally.findings, false, tally.findings_not_shown) + "</p>\n";
    // What the counts leave out, as the terminal's closing line says it.
    std::vector<std::string> missed;
    if (tally.only_passed_over())
        missed.push_back("没有报告：找到的文件都不是报告 no reports under the paths given: every file found is no report");
    if (tally.unreadable) missed.push_back(fmt::format("{} 份报告无法读取 could not be read", tally.unreadable));
    if (tally.unreadable_folders) missed.push_back(fmt::format("{} 个文件夹无法读取 folders could not be read", tally.unreadable_folders));
    if (tally.unreadable_previous)
        missed.push_back(fmt::format("{} 份上年报告未能使用 --previous reports not used", tally.unreadable_previous));
    if (tally.unreadable_previous_folders)
        missed.push_back(fmt::format("{} 个上年报告文件夹没有报告 --previous folders gave no report", tally.unreadable_previous_folders));
    if (tally.rule_errors)
        missed.push_back(fmt::format("{} 条规则未能在 {} 份报告上完成 rules could not finish on reports",
                                     tally.unfinished_rules.size(), tally.rule_errors));
    if (!missed.empty()) {
        out += "<div class=\"problem\"><strong>未完整审核 not fully audited</strong><ul>\n";
        for (const auto& m : missed) out += "<li>" + m + "</li>\n";
        out += "</ul></div>\n";
    }
    out += "<p class=\"filter\">隐藏 hide: "
           "<label><input type=\"checkbox\" id=\"hide-error\"/> 错误 error</label>"
           "<label><input type=\"checkbox\" id=\"hide-warning\"/> 警告 warning</label>"
           "<label><input type=\"checkbox\" id=\"hide-info\"/> 提示 info</label>"
           "<label><input type=\"checkbox\" id=\"hide-na\"/> 无法评估 not assessable</label>"
           "<label><input type=\"checkbox\" id=\"hide-clean\"/> 无问题的报告 reports without findings</label></p>\n";
    // A long list is folded, so that the findings are a scroll away.
    constexpr std::size_t open_up_to = 50;
    out += fmt::format("<details{}><summary>报告列表 reports ({})</summary>\n<ol class=\"index\">\n",
                       listed_.size() <= open_up_to ? " open=\"open\"" : "", listed_.size());
    out_ << out;
    for (std::size_t i = 0; i < listed_.size(); ++i) {
        const Listed& l = listed_[i];
        std::string line = fmt::format("<li><a href=\"#report-{}\">{}</a> ", i + 1, l.file);
        if (l.standing == Standing::Unreadable) line += "<span class=\"badge sev-error\">无法读取 could not be read</span>";
        else line += counts_html(l.counts, true, l.left_out);
        if (l.standing == Standing::RuleErrors) line += " <span class=\"badge sev-error\">规则未能完成 rule errors</span>";
        out_ << line << "</li>\n";
    }
    out_ << "</ol>\n</details>\n</aside>\n</body>\n</html>\n" << std::flush;
}

}  // namespace

std::unique_ptr<ResultsWriter> html_writer(std::ostream& out, const RunInfo& run) {
    return std::make_unique<HtmlWriter>(out, run);
}

}  // namespace gouji
