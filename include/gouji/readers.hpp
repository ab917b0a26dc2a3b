// The reader stage: bytes on disk -> Document. The format is decided by content
// (magic bytes, markup), the extension only breaks ties. Every failure is an
// InputError that names the file and, where it can, the line and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gouji/document.hpp"
#include "gouji/source.hpp"

namespace gouji {

// Bounds that keep hostile or broken input from exhausting the machine.
struct ReadLimits {
    std::size_t max_file_bytes = 256u << 20;          // larger files are refused
    std::size_t max_uncompressed_bytes = 256u << 20;  // a DOCX part inflating beyond this is refused
    std::size_t max_nesting = 512;                    // HTML/XML element depth kept; deeper is flattened
    std::size_t max_pdf_pages = 2000;
    // Paragraphs, headings and table cells kept from one file: a report has a few
    // thousand; a file of millions of one-character lines would otherwise cost
    // ~100 bytes of memory per input byte or two.
    std::size_t max_blocks = 2u << 20;
};

enum class Format { Text, Markdown, Html, Docx, Pdf };
std::string_view to_string(Format f);

// Reads the whole file (refusing files over the limit) — shared by every reader,
// and by gouji diff for the results it compares. `too_large_hint` says what to do
// about a file over the limit; empty, what to do about a report.
std::string read_file_bytes(const std::string& path, const ReadLimits& limits, std::string_view too_large_hint = {});
// Decides the format from the first bytes (and the extension for text vs markdown);
// the markup of UTF-16 text is looked for once it is decoded.
Format detect_format(const std::string& path, std::string_view bytes);

// Decodes text bytes: UTF-8 (with or without BOM), GB18030 or UTF-16 (with a BOM,
// or without one when it reads cleanly in one byte order only). Invalid input
// that is none of them, or that could be several, is an InputError naming the
// first bad byte's line and column. `encoding` receives the name of what was
// detected.
std::string decode_text(const std::string& path, std::string_view bytes, std::string& encoding);
// Whether decode_text takes `bytes` for UTF-16 holding some ASCII (markup, '#',
// '|', digits): after a UTF-16 byte-order mark, or without one when they hold a
// NUL and read cleanly in one byte order. It may still refuse them. (UTF-16 with
// no ASCII character at all, which decode_text also reads, holds no markup.)
bool looks_like_utf16(std::string_view bytes);

// One reader per format. Each takes the raw bytes already read.
Document read_plain_text(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_markdown(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_html(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_docx(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_pdf(const std::string& path, std::string_view bytes, const ReadLimits& limits);

// read_file_bytes + detect_format + the matching reader.
Document read_document(const std::string& path, const ReadLimits& limits = {});

}  // namespace gouji
