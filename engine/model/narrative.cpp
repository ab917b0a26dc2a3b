// Narrative stage: scan the prose blocks for figures, group them into lists, and
// place each figure in its top-level section.
#include "engine/model/narrative.hpp"

#include <algorithm>

#include "engine/model/narrative_scan.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

bool before_or_at(const SourcePos& a, const SourcePos& b) {
    return a.line < b.line || (a.line == b.line && a.column <= b.column);
}

// The index of the top-level section whose lines hold `pos`, or npos. A section
// without a last line runs to the next one's first line. Where sections share a
// line (an HTML page written on one line) the columns decide.
std::size_t section_of(const SourcePos& pos, const std::vector<Section>& sections) {
    if (pos.line == 0) return narrative::npos;
    std::size_t found = narrative::npos;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        std::uint32_t first = sections[i].first_line;
        std::uint32_t last = sections[i].last_line;
        if (last < first)
            last = i + 1 < sections.size() && sections[i + 1].first_line > first ? sections[i + 1].first_line - 1
                                                                                  : UINT32_MAX;
        if (first == 0 || pos.line < first || pos.line > last) continue;
        if (found == narrative::npos) found = i;
        else if (sections[i].pos.line != 0 && before_or_at(sections[i].pos, pos)) found = i;
    }
    return found;
}

// The scanner's Figure::year made a year: the relative words' are the report's year's
// (unknown: left as they are, −1 and −2, an earlier year, and 0 for this one).
int resolve_year(int scanned, int report_year) {
    if (scanned >= 1900 || scanned == 0) return scanned;
    if (scanned == narrative::kThisYear) return report_year;
    return report_year != 0 ? report_year + scanned : scanned;
}

// Marks the blocks of `section` and of its sub-sections with the year their heading
// names, as resolve_year gives it: a sub-section's heading overrides its parent's (one
// naming the report's year, or this year, clears it), a heading naming none keeps it.
// A year written is left alone when the report's is unknown: it may be the report's;
// so is the year of a heading holding one of `exceptions` ("…存在问题的改进情况").
void mark_heading_years(const Section& section, int report_year, const std::vector<std::string>& exceptions,
                        const NumberWords& words, std::vector<int>& years) {
    const int named = narrative::heading_year(section.title, words);
    const bool excepted = std::any_of(exceptions.begin(), exceptions.end(), [&](const std::string& word) {
        return section.title.find(word) != std::string::npos;
    });
    if (named != 0 && !excepted && !(report_year == 0 && named >= 1900)) {
        int year = resolve_year(named, report_year);
        if (year == report_year) year = 0;
        const std::size_t end = std::min(section.end_block, years.size());
        for (std::size_t b = section.first_block; b < end; ++b) years[b] = year;
    }
    for (const Section& child : section.children) mark_heading_years(child, report_year, exceptions, words, years);
}

// The year each block's heading names (0: none, or the report's), empty when no
// heading names one: "（三）2022年度依申请公开情况" makes the figures under it 2022's.
std::vector<int> heading_years(const std::vector<Section>& sections, std::size_t blocks, int report_year,
                               const std::vector<std::string>& exceptions, const NumberWords& words) {
    std::vector<int> years;
    for (const Section& section : sections) {
        if (years.empty()) years.assign(blocks, 0);
        mark_heading_years(section, report_year, exceptions, words, years);
    }
    if (std::all_of(years.begin(), years.end(), [](int year) { return year == 0; })) years.clear();
    return years;
}

}  // namespace

void extract_narrative(const Document& doc, const std::vector<Section>& sections, std::vector<Figure>& figures,
                       std::vector<FigureList>& lists, int report_year,
                       const std::vector<std::string>& heading_year_exceptions, const NumberWords& number_words) {
    narrative::Scan scan(number_words);
    scan.line_blocks = doc.format != "html" && doc.format != "docx";
    // Sized from the prose (reports hold a token every ~40 bytes and a figure every
    // ~300), so that a long document's vectors are not copied as they grow.
    std::size_t bytes = 0;
    for (const Block& block : doc.blocks) bytes += block.text.size();
    scan.blocks.reserve(doc.blocks.size());
    scan.tokens.reserve(bytes / 32);
    scan.figures.reserve(bytes / 256);
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& block = doc.blocks[i];
        if (block.kind == BlockKind::Table) {
            scan.open_sentence = false;
            continue;
        }
        narrative::scan_block(block, i, scan);
    }
    // Years first: a figure of another year is no part of this year's list. One whose
    // words name none takes its heading's ("（三）2022年度依申请公开情况").
    const std::vector<int> headed = heading_years(sections, doc.blocks.size(), report_year, heading_year_exceptions, number_words);
    for (narrative::ScannedFigure& f : scan.figures) {
        const std::size_t block = scan.blocks[f.block].document_block;
        if (f.figure.year == 0 && block < headed.size()) f.figure.year = headed[block];
        else f.figure.year = resolve_year(f.figure.year, report_year);
    }
    const std::size_t base = figures.size();
    const std::vector<narrative::RespectiveName> respective = narrative::respective_contexts(scan);
    std::vector<FigureList> found = narrative::find_lists(scan, doc, base, report_year);
    for (const narrative::RespectiveName& r : respective) scan.figures[r.figure].figure.context = r.name;
    figures.reserve(base + scan.figures.size());
    for (narrative::ScannedFigure& f : scan.figures) {
        f.figure.section = section_of(f.figure.pos, sections);
        figures.push_back(std::move(f.figure));
    }
    for (FigureList& list : found) lists.push_back(std::move(list));
}

}  // namespace gouji
