// The text layer of a PDF as poppler reports it: per page its size and
// orientation, and its text boxes with their glyphs' boxes. poppler and the 30
// libraries it brings (NSS, fontconfig, freetype, image codecs) are half of
// what starting gouji costs, so they live in a module of their own
// (engine/pdf/pdf_module.cpp, libgouji_pdf.so) that the PDF reader loads the
// first time it reads a PDF; this is all that passes between the two.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gouji::pdf {

// In poppler's top-down device space of the page as displayed (after /Rotate).
struct Rect {
    double left = 0, top = 0, right = 0, bottom = 0;
};

struct TextBox {
    std::string utf8;
    int rotation = 0;         // poppler's: 0 upright, 1 upwards, 2 upside down, 3 downwards
    Rect box;
    std::vector<Rect> glyphs;  // one per character of `utf8`, in order
};

enum class Orientation { Portrait, Landscape, UpsideDown, Seascape };

struct Page {
    double width = 0, height = 0;  // of the crop box, as poppler gives it
    Orientation orientation = Orientation::Portrait;
    std::vector<TextBox> boxes;
};

struct TextLayer {
    enum class Status { Read, Damaged, Encrypted, NoPages, TooManyPages, OutOfMemory, Failed };
    Status status = Status::Failed;
    int page_count = 0;
    std::string problem;  // Failed: what poppler said
    std::vector<Page> pages;
    // The errors poppler's parser reported at a place in a PDF it could open (a
    // damaged content stream: it reads past what it cannot parse), and the first.
    std::size_t complaints = 0;
    std::string first_complaint;
};

// The module's one entry point: fills `out` from the PDF in `data` (never throws).
// Its name changes with TextLayer's layout, so that a program never loads a module
// built for another (GOUJI_PDF_MODULE may name any file): it then says the module
// is missing the symbol.
using ReadTextLayer = void (*)(const char* data, std::size_t size, std::size_t max_pages, TextLayer* out);
inline constexpr const char* kReadTextLayerSymbol = "gouji_pdf_read_text_layer_2";

}  // namespace gouji::pdf
