// A DOCX zip bomb built without compressing anything, for timing its refusal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace bench {

// The bytes of a zip whose word/document.xml inflates to `inflated_size` zero
// bytes while its headers declare `declared_size` (a liar's headers pass the size
// check, so the reader must cut inflation itself); `scratch` is where libzip writes
// the archive before it is read back.
std::string docx_zip_bomb(std::uint64_t inflated_size, std::uint64_t declared_size,
                          const std::filesystem::path& scratch);

// CRC-32 of `size` zero bytes (what the bomb's headers must carry).
std::uint32_t crc32_of_zero_bytes(std::uint64_t size);

}  // namespace bench
