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

// Reads the whole file (refusing files over the limit) — shared by every reader.
std::string read_file_bytes(const std::string& path, const ReadLimits& limits);
// Decides the format from the first bytes (and the extension for text vs markdown).
Format detect_format(const std::string& path, std::string_view bytes);

// Decodes text bytes: UTF-8 (with or without BOM) or GB18030. Invalid input that is
// neither, or that could be both, is an InputError naming the first bad byte's
// line and column. `encoding` receives the name of what was detected.
std::string decode_text(const std::string& path, std::string_view bytes, std::string& encoding);

// One reader per format. Each takes the raw bytes already read.
Document read_plain_text(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_markdown(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_html(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_docx(const std::string& path, std::string_view bytes, const ReadLimits& limits);
Document read_pdf(const std::string& path, std::string_view bytes, const ReadLimits& limits);

// read_file_bytes + detect_format + the matching reader.
Document read_document(const std::string& path, const ReadLimits& limits = {});

}  // namespace gouji
