// What the outputs that record a run say of it (include/gouji/outputs.hpp, RunInfo).
#include <ctime>

#include "gouji/outputs.hpp"

namespace gouji {

std::string utc_now_iso8601() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

nlohmann::ordered_json packs_to_json(const std::vector<PackInfo>& packs) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& p : packs) list.push_back({{"id", p.id}, {"title", p.title}, {"version", p.version}, {"file", p.file}});
    return list;
}

}  // namespace gouji
