#include "common/fault_injector.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <utility>

#include "tilmatch/error.hpp"

namespace tilmatch::detail {
namespace {

constexpr std::string_view kEnvName = "TILMATCH_FAULT";

FaultPoint parse_point(std::string_view s, std::string_view spec) {
  if (s == "write") return FaultPoint::kWrite;
  if (s == "fsync") return FaultPoint::kFsync;
  if (s == "rename") return FaultPoint::kRename;
  if (s == "exchange") return FaultPoint::kExchange;
  throw UsageError(std::string(kEnvName) + "=" + std::string(spec) + ": unknown point '" + std::string(s) +
                   "' (write, fsync, rename, exchange)");
}

int parse_action(std::string_view s, std::string_view spec) {
  if (s.empty() || s == "fail") return 0;
  if (s == "int") return SIGINT;
  if (s == "term") return SIGTERM;
  if (s == "hup") return SIGHUP;
  if (s == "kill") return SIGKILL;
  if (s == "stop") return SIGSTOP;
  throw UsageError(std::string(kEnvName) + "=" + std::string(spec) + ": unknown action '" + std::string(s) +
                   "' (fail, int, term, hup, kill, stop)");
}

int error_for(FaultPoint p) {
  switch (p) {
    case FaultPoint::kWrite:
      return ENOSPC;
    case FaultPoint::kExchange:
      return EINVAL;
    default:
      return EIO;
  }
}

}  // namespace

FaultInjector::FaultInjector(std::string_view spec) {
  std::size_t begin = 0;
  while (begin < spec.size()) {
    std::size_t end = spec.find(',', begin);
    if (end == std::string_view::npos) end = spec.size();
    const std::string_view rule = spec.substr(begin, end - begin);
    begin = end + 1;
    const std::size_t c1 = rule.find(':');
    if (c1 == std::string_view::npos)
      throw UsageError(std::string(kEnvName) + "=" + std::string(spec) + ": rule '" + std::string(rule) +
                       "' is not <point>:<k>[:<action>]");
    const std::size_t c2 = rule.find(':', c1 + 1);
    const std::string_view number = rule.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1);
    long k = 0;
    for (char ch : number) {
      if (ch < '0' || ch > '9' || k > 100000000) {
        k = 0;
        break;
      }
      k = k * 10 + (ch - '0');
    }
    if (k < 1)
      throw UsageError(std::string(kEnvName) + "=" + std::string(spec) + ": '" + std::string(number) +
                       "' is not a call number (1, 2, ...)");
    rules_.push_back({parse_point(rule.substr(0, c1), spec), k,
                      parse_action(c2 == std::string_view::npos ? std::string_view() : rule.substr(c2 + 1), spec)});
  }
}

FaultInjector& FaultInjector::instance() {
  static FaultInjector injector([] {
    const char* env = std::getenv(kEnvName.data());
    return std::string_view(env == nullptr ? "" : env);
  }());
  return injector;
}

void FaultInjector::rearm(std::string_view spec) {
  FaultInjector parsed(spec);
  rules_ = std::move(parsed.rules_);
  for (auto& c : calls_) c.store(0);
}

bool FaultInjector::hit(FaultPoint point) {
  if (rules_.empty()) return false;
  const long call = calls_[static_cast<std::size_t>(point)].fetch_add(1) + 1;
  for (const Rule& r : rules_) {
    if (r.point != point || r.call != call) continue;
    if (r.signal != 0) {
      std::raise(r.signal);
      return false;
    }
    errno = error_for(point);
    return true;
  }
  return false;
}

bool fault_hit(FaultPoint point) {
  FaultInjector& f = FaultInjector::instance();
  return f.armed() && f.hit(point);
}

}  // namespace tilmatch::detail
