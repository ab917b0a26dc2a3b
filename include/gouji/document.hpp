// The reader stage's output: a document as a flat sequence of blocks, the same
// shape whatever the input format. Readers only recover structure that the format
// states (headings, paragraphs, table grids); they know nothing of templates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gouji/source.hpp"

namespace gouji {

// One cell of a table as written: merged cells appear once, with their spans.
// `row`/`col` are the cell's top-left coordinates in the expanded grid (after
// rowspan/colspan are laid out), so cells of one visual column share `col`.
struct TableCell {
    std::string text;  // whitespace-collapsed, <br>/<p> inside cells become a space
    SourcePos pos;
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    std::uint32_t rowspan = 1;
    std::uint32_t colspan = 1;
};

struct Table {
    // Rows in document order; each row holds the cells that start in it, left to right.
    std::vector<std::vector<TableCell>> rows;
    std::uint32_t column_count = 0;  // width of the expanded grid
    SourcePos pos;
};

enum class BlockKind { Paragraph, Heading, Table };

// Where a piece of a block's text is in the source: from character `offset` of
// `text` (counted in Unicode characters) on, the text continues at `pos`. Readers
// that join text across markup (HTML tags, character references) record one
// wherever the text jumps in the source; positions inside a block are then
// counted from the last anchor at or before them (engine/model/block_position.hpp).
struct TextAnchor {
    std::uint32_t offset = 0;
    SourcePos pos;
};

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    // Heading level as marked up (markdown #, <h1>, Word heading style); 0 when the
    // format does not say. Numbered headings in plain text ("一、") stay paragraphs:
    // recognizing them is the section stage's job, for every format alike.
    int heading_level = 0;
    bool bold = false;  // the whole block is bold (markdown **…**, <strong>, w:b)
    std::string text;   // paragraph/heading text, one line per source line joined with '\n'
    SourcePos pos;
    // Sorted by offset; empty when the text runs on in the source from `pos`, a
    // '\n' of `text` starting the next source line at column 1.
    std::vector<TextAnchor> anchors;
    Table table;        // kind == Table
};

// What an HTML page's <meta> tags say of its article, as government sites' CMSs
// write them (PubDate, ArticleTitle…): read where the page's text says nothing.
struct PageMeta {
    std::string published, title;  // the tags' content, as written
    SourcePos published_pos, title_pos;
};

struct Document {
    std::string path;
    std::string format;    // "text", "markdown", "html", "docx", "pdf"
    std::string encoding;  // "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE"; "" for PDF
    std::vector<Block> blocks;
    PageMeta page_meta;    // HTML only
    // The decoded text of a line-based format (text, Markdown), kept until the
    // findings have quoted the lines they point at: the blocks drop what the
    // section and table stages do not need. Empty for the other formats.
    std::string text;
    // What the reader read past and the user should know: the text may be
    // incomplete (a PDF whose pages poppler found damaged). One line each.
    std::vector<std::string> warnings;
    // Lets `text` go, its memory too (assigning an empty string keeps the buffer).
    void drop_text() { std::string().swap(text); }
};

}  // namespace gouji
