#include "chance/background.hpp"

#include <string>

namespace tilmatch::chance {

scoring::TcrRecord background_record(const Background& bg, std::size_t i) {
  scoring::TcrRecord r;
  r.cdr3_b = std::string(bg.cdr3_of(i));
  r.v_b = bg.v_of(i);
  return r;
}

std::vector<scoring::TcrRecord> background_records(const Background& bg) {
  std::vector<scoring::TcrRecord> out;
  out.reserve(bg.size());
  for (std::size_t i = 0; i < bg.size(); ++i) out.push_back(background_record(bg, i));
  return out;
}

}  // namespace tilmatch::chance
