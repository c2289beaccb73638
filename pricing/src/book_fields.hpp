// The fields every pricing data file shares (price books, the Free Tier catalogue, the Price
// List mapping), decoded one way: ISO dates, prices in USD, and `sources` with the references
// to them.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "archsim/model/decode.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/pricing/price_book.hpp"

namespace archsim::pricing::detail {

using model::is_iso_date;
/// An ISO 8601 time as the Price List writes them: a date (is_iso_date), `T`, hh:mm:ss with an
/// optional fraction, then `Z` or an offset ±hh:mm.
bool is_iso_time(std::string_view s);
void read_date(model::decoding::MapReader& r, std::string_view key, std::string& out, bool required);
bool decode_usd(const model::YamlNode& node, const std::string& path, model::decoding::DecodeContext& ctx, Usd& out);
void read_sources(model::decoding::MapReader& r, std::map<std::string, Source>& sources);
/// Reports a `source` that names no entry of `sources`, at the map's `source` key.
void check_source(model::decoding::MapReader& r, const std::map<std::string, Source>& sources, const std::string& source);

}  // namespace archsim::pricing::detail
