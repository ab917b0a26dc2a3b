// libgouji_pdf.so: poppler's reading of a PDF's text layer, loaded by the PDF
// reader on first use (engine/readers/pdf_layer.hpp says why).
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <exception>
#include <memory>
#include <new>

#include "engine/readers/pdf_layer.hpp"

namespace {

using namespace gouji::pdf;

// The layer being read on this thread: poppler's error messages are counted in
// it (one PDF is read at a time, but the callback is process-wide).
thread_local TextLayer* listening = nullptr;

// poppler-cpp passes on every message, warnings too, as "error: …" ("Invalid Font
// Weight" of an intact file). Those it ties to a place in the file, "error (322901):
// Illegal character ')'", are its parser's: a content stream or an object it could
// not read and skipped, so characters may be lost. Only those are counted.
void count_poppler_message(const std::string& message, void*) {
    if (!listening || !message.starts_with("error (")) return;
    if (listening->complaints++ == 0) listening->first_complaint = message;
}

struct Listening {
    explicit Listening(TextLayer& layer) { listening = &layer; }
    ~Listening() { listening = nullptr; }
    Listening(const Listening&) = delete;
    Listening& operator=(const Listening&) = delete;
};

Rect rect_of(const poppler::rectf& r) { return Rect{r.left(), r.top(), r.right(), r.bottom()}; }

Orientation orientation_of(poppler::page::orientation_enum o) {
    switch (o) {
    case poppler::page::landscape: return Orientation::Landscape;
    case poppler::page::upside_down: return Orientation::UpsideDown;
    case poppler::page::seascape: return Orientation::Seascape;
    default: return Orientation::Portrait;
    }
}

Page page_of(const poppler::page& page) {
    Page out;
    poppler::rectf crop = page.page_rect();
    out.width = crop.width();
    out.height = crop.height();
    out.orientation = orientation_of(page.orientation());
    for (const poppler::text_box& box : page.text_list()) {
        TextBox b;
        auto utf8 = box.text().to_utf8();
        b.utf8.assign(utf8.data(), utf8.size());
        b.rotation = box.rotation();
        b.box = rect_of(box.bbox());
        const std::size_t characters = box.text().size();
        b.glyphs.reserve(characters);
        for (std::size_t i = 0; i < characters; ++i) b.glyphs.push_back(rect_of(box.char_bbox(i)));
        out.boxes.push_back(std::move(b));
    }
    return out;
}

void read(const char* data, std::size_t size, std::size_t max_pages, TextLayer& out) {
    // poppler reports damage on stderr; the reader reports it as an InputError, or,
    // when poppler read past it, as a warning of the document, instead.
    static const bool counted = [] {
        poppler::set_debug_error_function(count_poppler_message, nullptr);
        return true;
    }();
    (void)counted;
    Listening listen(out);
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(data, static_cast<int>(size)));
    if (!doc) {
        out.status = TextLayer::Status::Damaged;
        return;
    }
    if (doc->is_locked()) {
        out.status = TextLayer::Status::Encrypted;
        return;
    }
    out.page_count = doc->pages();
    if (out.page_count <= 0) {
        out.status = TextLayer::Status::NoPages;
        return;
    }
    if (static_cast<std::size_t>(out.page_count) > max_pages) {
        out.status = TextLayer::Status::TooManyPages;
        return;
    }
    out.pages.resize(static_cast<std::size_t>(out.page_count));
    for (int i = 0; i < out.page_count; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (page) out.pages[static_cast<std::size_t>(i)] = page_of(*page);
    }
    out.status = TextLayer::Status::Read;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void gouji_pdf_read_text_layer_2(const char* data, std::size_t size,
                                                                                std::size_t max_pages, TextLayer* out) {
    try {
        read(data, size, max_pages, *out);
    } catch (const std::bad_alloc&) {
        out->pages.clear();
        out->status = TextLayer::Status::OutOfMemory;
    } catch (const std::exception& e) {
        out->pages.clear();
        out->status = TextLayer::Status::Failed;
        out->problem = e.what();
    } catch (...) {
        out->pages.clear();
        out->status = TextLayer::Status::Failed;
        out->problem = "unknown error";
    }
}
