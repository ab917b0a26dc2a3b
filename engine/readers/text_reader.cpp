// Plain text: scraped pages and PDF extracts where every table cell became its
// own line. Lines are kept as they are (one paragraph each) because the section
// and table stages work line by line; only surrounding white space is dropped.
#include "engine/readers/line_scan.hpp"
#include "gouji/readers.hpp"

namespace gouji {

Document read_plain_text(const std::string& path, std::string_view bytes, const ReadLimits& limits) {
    Document document;
    document.path = path;
    document.format = std::string(to_string(Format::Text));
    std::string text = decode_text(path, bytes, document.encoding);
    line_scan::BlockBudget budget(path, limits.max_blocks);

    line_scan::for_each_line(text, [&](std::uint32_t line_number, std::string_view line) {
        line_scan::Span content = line_scan::trim({line, 1});
        if (content.text.empty() || line_scan::is_page_furniture(content.text)) return;
        budget.spend({line_number, content.column, 0});
        Block& block = document.blocks.emplace_back();
        block.kind = BlockKind::Paragraph;
        block.text = std::string(content.text);
        block.pos.line = line_number;
        block.pos.column = content.column;
    });
    document.text = std::move(text);
    return document;
}

}  // namespace gouji
