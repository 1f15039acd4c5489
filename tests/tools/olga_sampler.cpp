// tilmatch_olga_sampler: samples productive human TCRβ CDR3s from OLGA's default IGoR model
// (../shared/data/olga_human_trb) for synthetic TIL repertoires. A test tool, not part of the CLI.
//
// The generative model and its conventions are OLGA's (Sethna et al., Bioinformatics 2019), as the
// data README spells them out, written here from that description:
//   P = P(V) P(delV|V) P(J) P(D|J) P(delD5|D) P(delD3|D,delD5) P(delJ|J) P(insVD) P(insDJ) x
//       dinucleotide Markov insertions (first base from the chain's steady state; the DJ insertion
//       is generated from the J side and reversed);
//   negative deletions are palindromic (P) nucleotides: the reverse complement of the gene end;
//   the CDR3 runs from the V anchor (Cys codon) to the J anchor + 3 (Phe/Trp codon kept);
//   a draw is kept when it is in frame, has no stop codon, starts with C and ends with F or W,
//   and its V and J are functional with an anchor (function F or (F), anchor > 0, as OLGA reads
//   the anchor files: "[F]" alleles are not functional).
//
// Checked against OLGA itself on these files (tests/tools/test_olga_sampler.cpp): 24.4% of raw draws
// are productive (the data README's "about 15%" is not what OLGA gives), mean CDR3 15.12 aa, mode 15.
//
// Determinism: std::mt19937_64 is specified bit for bit by the standard; uniform and discrete draws
// are done here (the std:: distributions are implementation-defined), so a seed gives the same
// sequences on every platform.
//
// Usage: tilmatch_olga_sampler --model DIR -n N --seed S [--out FILE] [--id-prefix P] [--stats]
// Output: AIRR rearrangement TSV (sequence_id, locus, productive, v_call, j_call, junction,
// junction_aa, duplicate_count=1), N rows in draw order; --stats adds a summary on stderr.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// ---- model files -------------------------------------------------------------------------------

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::ifstream open_or_throw(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return in;
}

struct Gene {
  std::string name;
  std::string sequence;
};

/// One event of model_params.txt: genes (GeneChoice) or integer values (deletions, insertions),
/// both by IGoR index (the position in the marginal arrays).
struct Event {
  std::vector<Gene> genes;
  std::vector<int> values;
};

std::map<std::string, Event> read_params(const std::string& path) {
  auto in = open_or_throw(path);
  std::map<std::string, Event> events;
  Event* cur = nullptr;
  bool gene_choice = false, integer_values = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '@') {
      cur = nullptr;
    } else if (line[0] == '#') {
      const auto f = split(line.substr(1), ';');
      cur = &events[trim(f.back())];
      gene_choice = f[0] == "GeneChoice";
      integer_values = f[0] == "Deletion" || f[0] == "Insertion";  // DinucMarkov lists bases
    } else if (line[0] == '%' && cur != nullptr && (gene_choice || integer_values)) {
      const auto f = split(line.substr(1), ';');  // D lines read "% TRBD1*01;...": trimmed below
      const auto index = static_cast<std::size_t>(std::stoi(f.back()));
      if (gene_choice) {
        if (cur->genes.size() <= index) cur->genes.resize(index + 1);
        cur->genes[index] = Gene{trim(f[0]), trim(f[1])};
      } else {
        if (cur->values.size() <= index) cur->values.resize(index + 1);
        cur->values[index] = std::stoi(trim(f[0]));
      }
    }
  }
  return events;
}

/// One marginal table of model_marginals.txt, row-major over its $Dim (the last dimension is the
/// event itself; the '#[event,index],...' lines say which conditioning row follows).
struct Marginal {
  std::vector<std::size_t> dims;
  std::vector<double> p;
};

std::map<std::string, Marginal> read_marginals(const std::string& path) {
  auto in = open_or_throw(path);
  std::map<std::string, Marginal> out;
  Marginal* cur = nullptr;
  std::size_t row_offset = 0;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty()) continue;
    if (line[0] == '@') {
      cur = &out[line.substr(1)];
    } else if (line[0] == '$' && cur != nullptr) {
      const auto open = line.find('['), close = line.find(']');
      std::size_t total = 1;
      for (const auto& d : split(line.substr(open + 1, close - open - 1), ',')) {
        cur->dims.push_back(static_cast<std::size_t>(std::stoul(d)));
        total *= cur->dims.back();
      }
      cur->p.assign(total, 0.0);
    } else if (line[0] == '#' && cur != nullptr) {
      // "#" alone (no conditioning) or "#[j_choice,3]" or "#[d_gene,1],[d_5_del,7]".
      row_offset = 0;
      std::size_t k = 0, pos = 0;
      while ((pos = line.find('[', pos)) != std::string::npos) {
        const auto comma = line.find(',', pos), close = line.find(']', pos);
        row_offset = row_offset * cur->dims[k] + std::stoul(line.substr(comma + 1, close - comma - 1));
        ++k;
        pos = close;
      }
      row_offset *= cur->dims.back();
    } else if (line[0] == '%' && cur != nullptr) {
      const auto f = split(line.substr(1), ',');
      if (row_offset + f.size() > cur->p.size()) throw std::runtime_error(path + ": marginal row out of range");
      for (std::size_t i = 0; i < f.size(); ++i) cur->p[row_offset + i] = std::stod(f[i]);
    }
  }
  return out;
}

/// gene -> (anchor, function) from V_/J_gene_CDR3_anchors.csv.
std::map<std::string, std::pair<int, std::string>> read_anchors(const std::string& path) {
  auto in = open_or_throw(path);
  std::map<std::string, std::pair<int, std::string>> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto f = split(trim(line), ',');
    if (f.size() < 3) continue;
    std::string function = trim(f[2]);
    // OLGA strips parentheses only: "(F)" is functional, "[F]" and "ORF" and "P" are not.
    while (!function.empty() && (function.front() == '(' || function.front() == ')')) function.erase(0, 1);
    while (!function.empty() && (function.back() == '(' || function.back() == ')')) function.pop_back();
    out[trim(f[0])] = {std::stoi(f[1]), function};
  }
  return out;
}

// ---- sequences ---------------------------------------------------------------------------------

char complement(char c) {
  switch (c) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
  }
}

std::string reverse_complement(const std::string& s) {
  std::string out(s.rbegin(), s.rend());
  for (char& c : out) c = complement(c);
  return out;
}

int base_index(char c) {
  switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    default: return -1;
  }
}

char translate(const char* codon) {
  static constexpr char kTable[] = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";
  int code = 0;
  for (int i = 0; i < 3; ++i) {
    const int b = base_index(codon[i]);
    if (b < 0) return 'X';
    code = code * 4 + b;
  }
  return kTable[code];
}

std::string translate(const std::string& nt) {
  std::string aa;
  aa.reserve(nt.size() / 3);
  for (std::size_t i = 0; i + 3 <= nt.size(); i += 3) aa += translate(nt.data() + i);
  return aa;
}

// ---- random draws ------------------------------------------------------------------------------

/// Uniform double in [0, 1) from the top 53 bits of one mt19937_64 output.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// A discrete distribution as cumulative weights (summed left to right, so exact everywhere).
class Discrete {
 public:
  Discrete() = default;
  explicit Discrete(const double* w, std::size_t n) : cum_(n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
      s += w[i] > 0 ? w[i] : 0.0;
      cum_[i] = s;
      if (w[i] > 0) last_positive_ = i;
    }
    if (!(s > 0)) throw std::runtime_error("a marginal has no positive probability");
  }
  /// The first index whose cumulative weight exceeds u * total (never a zero-weight index).
  std::size_t operator()(std::mt19937_64& rng) const {
    const double x = uniform(rng) * cum_.back();
    std::size_t lo = 0, hi = cum_.size();
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (cum_[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo > last_positive_ ? last_positive_ : lo;
  }

 private:
  std::vector<double> cum_;
  std::size_t last_positive_ = 0;
};

/// A dinucleotide Markov chain for one insertion: P(next | prev) and the steady state for the
/// first base.
struct Markov {
  std::array<Discrete, 4> next;
  Discrete first;
};

Markov make_markov(const std::vector<double>& dinucl) {
  // Row `prev` of the 4x4 table (index prev*4 + next), normalised, is P(next | prev).
  Markov m;
  std::array<std::array<double, 4>, 4> p{};
  for (int prev = 0; prev < 4; ++prev) {
    double s = 0;
    for (int nx = 0; nx < 4; ++nx) s += dinucl[static_cast<std::size_t>(prev * 4 + nx)];
    for (int nx = 0; nx < 4; ++nx) p[prev][nx] = dinucl[static_cast<std::size_t>(prev * 4 + nx)] / s;
    m.next[static_cast<std::size_t>(prev)] = Discrete(p[prev].data(), 4);
  }
  std::array<double, 4> pi{0.25, 0.25, 0.25, 0.25};
  for (int it = 0; it < 10000; ++it) {
    std::array<double, 4> nx{};
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b) nx[a] += p[b][a] * pi[b];
    pi = nx;
  }
  m.first = Discrete(pi.data(), 4);
  return m;
}

std::string insertion(std::size_t length, const Markov& m, std::mt19937_64& rng) {
  static constexpr char kBases[] = "ACGT";
  std::string s;
  if (length == 0) return s;
  std::size_t b = m.first(rng);
  s += kBases[b];
  while (s.size() < length) {
    b = m.next[b](rng);
    s += kBases[b];
  }
  return s;
}

// ---- the model ---------------------------------------------------------------------------------

struct Segment {
  std::string name;
  std::string extended;  ///< CDR3 part with the maximum number of P nucleotides added
  bool usable = false;   ///< functional with an anchor
};

/// Maximum palindrome length of a deletion event: minus its most negative value.
int max_palindrome(const std::vector<int>& values) {
  int m = 0;
  for (int v : values) m = v < m ? v : m;
  return -m;
}

class Model {
 public:
  explicit Model(const std::string& dir) {
    const auto params = read_params(dir + "/model_params.txt");
    const auto marg = read_marginals(dir + "/model_marginals.txt");
    const auto v_anchor = read_anchors(dir + "/V_gene_CDR3_anchors.csv");
    const auto j_anchor = read_anchors(dir + "/J_gene_CDR3_anchors.csv");
    auto event = [&](const char* name) -> const Event& {
      const auto it = params.find(name);
      if (it == params.end()) throw std::runtime_error(std::string("model_params.txt has no event ") + name);
      return it->second;
    };
    auto marginal = [&](const char* name) -> const Marginal& {
      const auto it = marg.find(name);
      if (it == marg.end()) throw std::runtime_error(std::string("model_marginals.txt has no ") + name);
      return it->second;
    };
    const Event& ev_v = event("v_choice");
    const Event& ev_d = event("d_gene");
    const Event& ev_j = event("j_choice");
    del_v_ = event("v_3_del").values;
    del_d5_ = event("d_5_del").values;
    del_d3_ = event("d_3_del").values;
    del_j_ = event("j_5_del").values;
    ins_vd_ = event("vd_ins").values;
    ins_dj_ = event("dj_ins").values;
    pal_v_ = max_palindrome(del_v_);
    pal_d5_ = max_palindrome(del_d5_);
    pal_d3_ = max_palindrome(del_d3_);
    pal_j_ = max_palindrome(del_j_);

    for (const auto& g : ev_v.genes) {
      Segment s{g.name, "", false};
      const auto a = v_anchor.find(g.name);
      if (a != v_anchor.end() && a->second.first > 0 && a->second.second == "F" &&
          static_cast<std::size_t>(a->second.first) < g.sequence.size()) {
        const std::string cdr3 = g.sequence.substr(static_cast<std::size_t>(a->second.first));
        const int p = std::min<int>(pal_v_, static_cast<int>(cdr3.size()));
        s.extended = cdr3 + reverse_complement(cdr3.substr(cdr3.size() - static_cast<std::size_t>(p)));
        s.usable = true;
      }
      v_.push_back(s);
    }
    for (const auto& g : ev_j.genes) {
      Segment s{g.name, "", false};
      const auto a = j_anchor.find(g.name);
      if (a != j_anchor.end() && a->second.first > 0 && a->second.second == "F" &&
          static_cast<std::size_t>(a->second.first) + 3 <= g.sequence.size()) {
        const std::string cdr3 = g.sequence.substr(0, static_cast<std::size_t>(a->second.first) + 3);
        const int p = std::min<int>(pal_j_, static_cast<int>(cdr3.size()));
        s.extended = reverse_complement(cdr3.substr(0, static_cast<std::size_t>(p))) + cdr3;
        s.usable = true;
      }
      j_.push_back(s);
    }
    for (const auto& g : ev_d.genes) {
      const std::string& d = g.sequence;
      const std::string left = reverse_complement(d.substr(0, std::min<std::size_t>(static_cast<std::size_t>(pal_d5_), d.size()))) + d;
      const std::size_t pr = std::min<std::size_t>(static_cast<std::size_t>(pal_d3_), left.size());
      d_.push_back(Segment{g.name, left + reverse_complement(left.substr(left.size() - pr)), true});
    }

    const auto& pv = marginal("v_choice");
    const auto& pj = marginal("j_choice");
    const auto& pdj = marginal("d_gene");  // [J][D]
    const auto& pdv = marginal("v_3_del");  // [V][delV]
    const auto& pd5 = marginal("d_5_del");  // [D][delD5]
    const auto& pd3 = marginal("d_3_del");  // [D][delD5][delD3]
    const auto& pdelj = marginal("j_5_del");  // [J][delJ]
    const std::size_t nv = v_.size(), nj = j_.size(), nd = d_.size();
    const std::size_t ndv = del_v_.size(), nd5 = del_d5_.size(), nd3 = del_d3_.size(), ndj = del_j_.size();
    if (pv.p.size() != nv || pj.p.size() != nj || pdj.p.size() != nj * nd || pdv.p.size() != nv * ndv ||
        pd5.p.size() != nd * nd5 || pd3.p.size() != nd * nd5 * nd3 || pdelj.p.size() != nj * ndj)
      throw std::runtime_error("model_marginals.txt does not match model_params.txt");
    choose_v_ = Discrete(pv.p.data(), nv);
    choose_j_ = Discrete(pj.p.data(), nj);
    for (std::size_t j = 0; j < nj; ++j) {
      choose_d_given_j_.push_back(positive(pdj.p.data() + j * nd, nd));
      choose_del_j_.push_back(positive(pdelj.p.data() + j * ndj, ndj));
    }
    for (std::size_t v = 0; v < nv; ++v) choose_del_v_.push_back(positive(pdv.p.data() + v * ndv, ndv));
    // P(delD5, delD3 | D) = P(delD5 | D) P(delD3 | D, delD5), flattened as delD5 * nd3 + delD3.
    for (std::size_t d = 0; d < nd; ++d) {
      std::vector<double> joint(nd5 * nd3);
      for (std::size_t a = 0; a < nd5; ++a)
        for (std::size_t b = 0; b < nd3; ++b)
          joint[a * nd3 + b] = pd5.p[d * nd5 + a] * pd3.p[(d * nd5 + a) * nd3 + b];
      choose_del_d_.push_back(positive(joint.data(), joint.size()));
    }
    n_del_d3_ = nd3;
    choose_ins_vd_ = Discrete(marginal("vd_ins").p.data(), marginal("vd_ins").p.size());
    choose_ins_dj_ = Discrete(marginal("dj_ins").p.data(), marginal("dj_ins").p.size());
    markov_vd_ = make_markov(marginal("vd_dinucl").p);
    markov_dj_ = make_markov(marginal("dj_dinucl").p);
  }

  struct Draw {
    std::string nt, aa, v, j;
  };

  /// Why a raw draw was rejected (kNone: it is productive).
  enum Reject : int { kNone, kGene, kDeletion, kFrame, kStop, kAnchor, kReasons };

  /// One raw draw of the recombination model; kNone (and `out` filled) when it is productive.
  Reject draw(std::mt19937_64& rng, Draw& out) const {
    const std::size_t v = choose_v_(rng);
    const std::size_t j = choose_j_(rng);
    const std::size_t d = choose_d_given_j_[j](rng);
    const std::size_t dv = choose_del_v_[v](rng);
    const std::size_t dj = choose_del_j_[j](rng);
    const std::size_t dd = choose_del_d_[d](rng);
    const std::size_t dd5 = dd / n_del_d3_, dd3 = dd % n_del_d3_;
    const std::size_t ivd = static_cast<std::size_t>(ins_vd_[choose_ins_vd_(rng)]);
    const std::size_t idj = static_cast<std::size_t>(ins_dj_[choose_ins_dj_(rng)]);
    // Deletion values are the index minus the maximum palindrome (value -P sits at index 0), so
    // an index cuts straight into the P-extended segment.
    const std::size_t del_v = static_cast<std::size_t>(del_v_[dv] + pal_v_);
    const std::size_t del_j = static_cast<std::size_t>(del_j_[dj] + pal_j_);
    const std::size_t del_d5 = static_cast<std::size_t>(del_d5_[dd5] + pal_d5_);
    const std::size_t del_d3 = static_cast<std::size_t>(del_d3_[dd3] + pal_d3_);
    const Segment& sv = v_[v];
    const Segment& sj = j_[j];
    const Segment& sd = d_[d];
    if (!sv.usable || !sj.usable) return kGene;
    if (sv.extended.size() <= del_v) return kDeletion;
    if (sd.extended.size() < del_d5 + del_d3 || sj.extended.size() < del_j) return kDeletion;
    const std::size_t len_v = sv.extended.size() - del_v;
    const std::size_t len_d = sd.extended.size() - del_d5 - del_d3;
    const std::size_t len_j = sj.extended.size() - del_j;
    if ((len_v + len_d + len_j + ivd + idj) % 3 != 0) return kFrame;
    std::string dj_ins = insertion(idj, markov_dj_, rng);
    std::string nt = sv.extended.substr(0, len_v);
    nt += insertion(ivd, markov_vd_, rng);
    nt.append(sd.extended, del_d5, len_d);
    nt.append(dj_ins.rbegin(), dj_ins.rend());  // built from the J side
    nt.append(sj.extended, del_j, len_j);
    std::string aa = translate(nt);
    if (aa.find_first_of("*X") != std::string::npos) return kStop;
    if (aa.empty() || aa.front() != 'C' || (aa.back() != 'F' && aa.back() != 'W')) return kAnchor;
    out.nt = std::move(nt);
    out.aa = std::move(aa);
    out.v = sv.name;
    out.j = sj.name;
    return kNone;
  }

 private:
  static Discrete positive(const double* w, std::size_t n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += w[i];
    if (s > 0) return Discrete(w, n);
    // A gene the model never uses has an all-zero row; any deletion will do, it is never drawn.
    std::vector<double> one(n, 0.0);
    one[0] = 1;
    return Discrete(one.data(), n);
  }

  std::vector<Segment> v_, d_, j_;
  // Event values by IGoR index: deletions (negative = P nucleotides) and insertion lengths.
  std::vector<int> del_v_, del_d5_, del_d3_, del_j_, ins_vd_, ins_dj_;
  int pal_v_ = 0, pal_d5_ = 0, pal_d3_ = 0, pal_j_ = 0;
  Discrete choose_v_, choose_j_, choose_ins_vd_, choose_ins_dj_;
  std::vector<Discrete> choose_d_given_j_, choose_del_v_, choose_del_j_, choose_del_d_;
  std::size_t n_del_d3_ = 1;
  Markov markov_vd_, markov_dj_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Samples productive human TRB CDR3s from OLGA's IGoR model (a tilmatch test tool)"};
  std::string model_dir, out_path = "-", prefix = "olga";
  std::uint64_t n = 0, seed = 0;
  bool stats = false;
  app.add_option("--model", model_dir, "folder with model_params.txt, model_marginals.txt and the anchor CSVs")
      ->required();
  app.add_option("-n,--number", n, "productive sequences to write")->required();
  app.add_option("--seed", seed, "seed of the mt19937_64 generator")->required();
  app.add_option("--out", out_path, "output TSV ('-' = stdout)");
  app.add_option("--id-prefix", prefix, "sequence_id prefix");
  app.add_flag("--stats", stats, "print draws, acceptance and the length distribution on stderr");
  CLI11_PARSE(app, argc, argv);
  try {
    const Model model(model_dir);
    std::mt19937_64 rng(seed);
    std::FILE* out = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
    if (out == nullptr) throw std::runtime_error("cannot write " + out_path);
    std::string buf = "sequence_id\tlocus\tproductive\tv_call\tj_call\tjunction\tjunction_aa\tduplicate_count\n";
    std::uint64_t draws = 0, total_len = 0;
    std::array<std::uint64_t, Model::kReasons> rejects{};
    std::map<std::size_t, std::uint64_t> lengths;
    Model::Draw d;
    for (std::uint64_t k = 0; k < n;) {
      ++draws;
      const auto why = model.draw(rng, d);
      if (why != Model::kNone) {
        ++rejects[why];
        continue;
      }
      ++k;
      total_len += d.aa.size();
      ++lengths[d.aa.size()];
      buf += prefix + "." + std::to_string(k) + "\tTRB\tT\t" + d.v + "\t" + d.j + "\t" + d.nt + "\t" + d.aa + "\t1\n";
      if (buf.size() > (1u << 20)) {
        if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) throw std::runtime_error("write failed");
        buf.clear();
      }
    }
    if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) throw std::runtime_error("write failed");
    if (out != stdout && std::fclose(out) != 0) throw std::runtime_error("cannot close " + out_path);
    if (stats) {
      std::cerr << "draws\t" << draws << "\naccepted\t" << n << "\nacceptance\t"
                << (draws ? static_cast<double>(n) / static_cast<double>(draws) : 0.0) << "\nmean_length\t"
                << (n ? static_cast<double>(total_len) / static_cast<double>(n) : 0.0) << "\n";
      const char* names[] = {"", "rejected_gene", "rejected_deletion", "rejected_frame", "rejected_stop",
                             "rejected_anchor"};
      for (int r = 1; r < Model::kReasons; ++r) std::cerr << names[r] << "\t" << rejects[r] << "\n";
      for (const auto& [len, c] : lengths) std::cerr << "length\t" << len << "\t" << c << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "tilmatch_olga_sampler: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
