// Narrative stage: scan the prose blocks for figures, group them into lists, and
// place each figure in its top-level section.
#include "engine/model/narrative.hpp"

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

}  // namespace

void extract_narrative(const Document& doc, const std::vector<Section>& sections, std::vector<Figure>& figures,
                       std::vector<FigureList>& lists, int report_year) {
    narrative::Scan scan;
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
    // Years first: a figure of another year is no part of this year's list.
    for (narrative::ScannedFigure& f : scan.figures) f.figure.year = resolve_year(f.figure.year, report_year);
    const std::size_t base = figures.size();
    std::vector<FigureList> found = narrative::find_lists(scan, doc, base, report_year);
    figures.reserve(base + scan.figures.size());
    for (narrative::ScannedFigure& f : scan.figures) {
        f.figure.section = section_of(f.figure.pos, sections);
        figures.push_back(std::move(f.figure));
    }
    for (FigureList& list : found) lists.push_back(std::move(list));
}

}  // namespace gouji
