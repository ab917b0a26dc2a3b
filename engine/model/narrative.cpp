// Narrative stage: scan the prose blocks for figures, group them into lists, and
// place each figure in its top-level section.
#include "engine/model/narrative.hpp"

#include "engine/model/narrative_scan.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

// The index of the top-level section whose lines hold `line`, or npos. A section
// without a last line runs to the next one's first line.
std::size_t section_of(std::uint32_t line, const std::vector<Section>& sections) {
    if (line == 0) return narrative::npos;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        std::uint32_t first = sections[i].first_line;
        std::uint32_t last = sections[i].last_line;
        if (last < first) last = i + 1 < sections.size() && sections[i + 1].first_line > first
                                     ? sections[i + 1].first_line - 1
                                     : UINT32_MAX;
        if (first != 0 && line >= first && line <= last) return i;
    }
    return narrative::npos;
}

}  // namespace

void extract_narrative(const Document& doc, const std::vector<Section>& sections, std::vector<Figure>& figures,
                       std::vector<FigureList>& lists) {
    narrative::Scan scan;
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& block = doc.blocks[i];
        if (block.kind == BlockKind::Table) {
            scan.open_sentence = false;
            continue;
        }
        narrative::scan_block(block, i, scan);
    }
    const std::size_t base = figures.size();
    std::vector<FigureList> found = narrative::find_lists(scan, base);
    figures.reserve(base + scan.figures.size());
    for (narrative::ScannedFigure& f : scan.figures) {
        f.figure.section = section_of(f.figure.pos.line, sections);
        figures.push_back(std::move(f.figure));
    }
    for (FigureList& list : found) lists.push_back(std::move(list));
}

}  // namespace gouji
