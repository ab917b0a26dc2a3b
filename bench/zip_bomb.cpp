// The same hand-made bomb as tests/unit/test_docx_reader.cpp: one fixed-Huffman
// deflate block of a literal 0 followed by <length 258, distance 1> matches, 13 bits
// per 258 zero bytes, so a 1 GiB part costs about 6 MB and no compression time.
#include "zip_bomb.hpp"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bench {
namespace {

class BitWriter {
public:
    // `count` bits of `bits`, least significant first (deflate's bit order).
    void put(std::uint32_t bits, int count) {
        pending_ |= static_cast<std::uint64_t>(bits) << filled_;
        filled_ += count;
        while (filled_ >= 8) {
            out_.push_back(static_cast<char>(pending_ & 0xFF));
            pending_ >>= 8;
            filled_ -= 8;
        }
    }
    std::string finish() {
        if (filled_ > 0) out_.push_back(static_cast<char>(pending_ & 0xFF));
        return std::move(out_);
    }

private:
    std::string out_;
    std::uint64_t pending_ = 0;
    int filled_ = 0;
};

// Huffman codes go most significant bit first, so they are reversed into the stream.
constexpr std::uint32_t reversed(std::uint32_t code, int length) {
    std::uint32_t r = 0;
    for (int i = 0; i < length; ++i) r |= ((code >> i) & 1u) << (length - 1 - i);
    return r;
}

std::string deflate_zeros(std::uint64_t size) {
    constexpr std::uint32_t kLiteralZero = reversed(0x30, 8);
    constexpr std::uint32_t kRepeat258 = reversed(0xC5, 8);  // length code 285; distance code 0 follows
    BitWriter w;
    w.put(1, 1);  // BFINAL
    w.put(1, 2);  // fixed Huffman
    std::uint64_t left = size;
    if (left > 0) {
        w.put(kLiteralZero, 8);
        --left;
    }
    for (; left >= 258; left -= 258) w.put(kRepeat258, 13);
    for (; left > 0; --left) w.put(kLiteralZero, 8);
    w.put(0, 7);  // end of block
    return w.finish();
}

// CRC-32 of `size` zero bytes by squaring the one-byte update (as zlib's crc32_combine).
std::uint32_t crc32_of_zeros(std::uint64_t size) {
    using Matrix = std::array<std::uint32_t, 32>;
    auto times = [](const Matrix& m, std::uint32_t v) {
        std::uint32_t r = 0;
        for (int i = 0; v; ++i, v >>= 1)
            if (v & 1) r ^= m[static_cast<std::size_t>(i)];
        return r;
    };
    auto square = [&](const Matrix& m) {
        Matrix out{};
        for (std::size_t i = 0; i < 32; ++i) out[i] = times(m, m[i]);
        return out;
    };
    Matrix step{};
    step[0] = 0xEDB88320u;
    for (std::size_t i = 1; i < 32; ++i) step[i] = 1u << (i - 1);
    step = square(square(square(step)));
    std::uint32_t reg = 0xFFFFFFFFu;
    for (; size > 0; size >>= 1) {
        if (size & 1) reg = times(step, reg);
        step = square(step);
    }
    return reg ^ 0xFFFFFFFFu;
}

// Already-deflated data that libzip stores as it is, with the stat given here.
struct PrecompressedPart {
    std::string deflated;
    std::uint64_t size = 0;
    std::uint32_t crc = 0;
    std::size_t position = 0;
};

zip_int64_t precompressed_source(void* userdata, void* data, zip_uint64_t length, zip_source_cmd_t command) {
    auto* part = static_cast<PrecompressedPart*>(userdata);
    switch (command) {
        case ZIP_SOURCE_OPEN: part->position = 0; return 0;
        case ZIP_SOURCE_READ: {
            std::size_t n = std::min<std::size_t>(length, part->deflated.size() - part->position);
            std::memcpy(data, part->deflated.data() + part->position, n);
            part->position += n;
            return static_cast<zip_int64_t>(n);
        }
        case ZIP_SOURCE_STAT: {
            auto* st = static_cast<zip_stat_t*>(data);
            zip_stat_init(st);
            st->size = part->size;
            st->comp_size = part->deflated.size();
            st->comp_method = ZIP_CM_DEFLATE;
            st->crc = part->crc;
            st->mtime = 0;
            st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC | ZIP_STAT_MTIME;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_CLOSE:
        case ZIP_SOURCE_ERROR:
        case ZIP_SOURCE_FREE: return 0;
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                                  ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default: return -1;
    }
}

}  // namespace

std::uint32_t crc32_of_zero_bytes(std::uint64_t size) { return crc32_of_zeros(size); }

std::string docx_zip_bomb(std::uint64_t inflated_size, std::uint64_t declared_size,
                          const std::filesystem::path& scratch) {
    PrecompressedPart part{deflate_zeros(inflated_size), declared_size, crc32_of_zeros(inflated_size), 0};
    int error = 0;
    zip_t* archive = zip_open(scratch.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!archive) throw std::runtime_error("cannot create " + scratch.string());
    zip_source_t* source = zip_source_function(archive, precompressed_source, &part);
    if (!source || zip_file_add(archive, "word/document.xml", source, ZIP_FL_OVERWRITE) < 0 || zip_close(archive) != 0)
        throw std::runtime_error("cannot write the zip bomb to " + scratch.string());
    std::ifstream in(scratch, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace bench
