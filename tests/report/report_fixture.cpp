#include "report/report_fixture.hpp"

#include <algorithm>
#include <utility>

namespace tilmatch::test {

namespace {

FragmentSummary fragment(std::string id, std::string site, std::string day) {
  FragmentSummary f;
  f.id = std::move(id);
  f.path = f.id + ".tsv";
  f.metadata = {{"site", std::move(site)}, {"day", std::move(day)}};
  f.total_count = 1000;
  return f;
}

Tcr clonotype(std::string cdr3b, std::string vb) {
  Tcr c;
  c.cdr3b = std::move(cdr3b);
  c.vb = std::move(vb);
  c.jb = "TRBJ2-7";
  return c;
}

rank::Neoantigen neoantigen(std::string gene, std::string change, std::string variant, double weight,
                            std::vector<std::string> epitopes) {
  rank::Neoantigen n;
  n.id = gene + "." + change;
  n.gene = std::move(gene);
  n.change = std::move(change);
  n.variant = std::move(variant);
  n.variant_type = "missense";
  n.mt_epitopes = std::move(epitopes);
  n.tdna_vaf = 0.41;
  n.trna_vaf = 0.38;
  n.expression = 52.5;
  n.weight = weight;
  return n;
}

rank::Evidence reference(std::uint32_t neo, std::uint32_t clono, double score, std::string ref_id,
                         std::string epitope) {
  rank::Evidence e;
  e.neoantigen = neo;
  e.clonotype = clono;
  e.score = score;
  e.reference_id = std::move(ref_id);
  e.reference_source = "VDJdb";
  e.reference_epitope = epitope;
  e.mt_epitope = std::move(epitope);
  e.reference_mhc = "HLA-A*02:01";
  e.hla = "match";
  e.tcrdist = 6;
  return e;
}

}  // namespace

report::ReportInput ReportFixture::input() const {
  report::ReportInput in;
  in.result = &result;
  in.clonotypes = &table;
  in.title = "tilmatch run — EXAMPLE_TUMOR";
  in.backend = "cpu";
  in.parameters = {{"--max-tcrdist", "24"}, {"--transfer-metric", "tcrdist"}, {"--min-frequency", "0.001"}};
  in.inputs = {{"vcf: example/tumor.vcf.gz", "0f343b0931126a20f133d67c2b018a3b"},
               {"fragments: example/fragments.tsv", "9e107d9d372bb6826bd81d3542a419d6"}};
  in.timings_s = {{"load", 0.25}, {"search", 1.5}, {"rank", 0.125}};
  return in;
}

ReportFixture make_report_fixture() {
  ReportFixture f;
  ClonotypeTable& t = f.table;
  t.fragments = {fragment("F01", "liver", "14"), fragment("F02", "lung", "14"), fragment("F03", "liver", "21"),
                 fragment("F04", "lymph node", "21")};
  t.clonotypes = {clonotype("CASSIRSSYEQYF", "TRBV19"), clonotype("CASSLAPGATNEKLFF", "TRBV7-9"),
                  clonotype("CASSIRSAYEQYF", "TRBV19"), clonotype("CASRPGLAGGRPEQYF", "TRBV5-1"),
                  clonotype("CASSQDRGNQPQHF", "TRBV4-1"), clonotype("CSARDRTGNGYTF", "TRBV20-1")};
  // (clonotype, fragment, count, frequency), sorted by (clonotype, fragment).
  const std::vector<ClonotypeCount> counts = {
      {0, 0, 50, 0.05}, {0, 2, 200, 0.20}, {1, 1, 80, 0.08},  {1, 2, 30, 0.03}, {2, 0, 10, 0.01},
      {2, 2, 60, 0.06}, {3, 1, 40, 0.04},  {4, 0, 20, 0.02},  {5, 3, 500, 0.5}, {5, 0, 5, 0.005}};
  t.counts = counts;
  std::sort(t.counts.begin(), t.counts.end(), [](const ClonotypeCount& a, const ClonotypeCount& b) {
    return std::pair(a.clonotype, a.fragment) < std::pair(b.clonotype, b.fragment);
  });

  rank::RunResult& r = f.result;
  r.neoantigens = {neoantigen("KRAS", "G12D", "chr12:25245350 C>T", 0.9, {"GADGVGKSA", "VVGADGVGK"}),
                   neoantigen("TP53", "R175H", "chr17:7675088 C>T", 1.0, {"HMTEVVRHC"}),
                   neoantigen("PIK3CA", "E545K", "chr3:179218303 G>A", 0.5, {"STRDPLSEITK"}),
                   neoantigen("BRAF", "V600E", "chr7:140753336 A>T", 0.9, {"KIGDFGLATEK"})};
  r.neoantigens[2].expression.reset();

  rank::Evidence kras = reference(0, 0, 0.9, "vdjdb:31337", "VVGADGVGK");
  rank::Evidence kras_neighbour = kras;
  kras_neighbour.clonotype = 2;
  kras_neighbour.score = 0.6;
  kras_neighbour.route = rank::Route::kNeighbor;
  kras_neighbour.via_clonotype = 0;
  kras_neighbour.neighbor_distance = 18;
  kras_neighbour.tcrdist = 6;
  rank::Evidence tp53 = reference(1, 1, 0.8, "LAB:TP53-7", "HMTEVVRHC");
  tp53.validated = true;
  tp53.reference_source = "lab screen 2025";
  tp53.tcrdist = -1;
  tp53.tcrmatch = 0.973;
  rank::Evidence tp53_second = reference(1, 3, 0.5, "iedb:555", "HMTEVVRHC");
  tp53_second.epitope_similarity = 0.875;
  tp53_second.hla = "unknown";
  rank::Evidence braf = reference(3, 4, 0.7, "mcpas:42", "KIGDFGLATEK");
  rank::Evidence braf_on_c1 = reference(3, 0, 0.4, "mcpas:43", "KIGDFGLATEK");
  r.evidence = {kras, kras_neighbour, tp53, braf_on_c1, tp53_second, braf};
  std::sort(r.evidence.begin(), r.evidence.end(), [](const rank::Evidence& a, const rank::Evidence& b) {
    return std::pair(a.neoantigen, a.clonotype) < std::pair(b.neoantigen, b.clonotype);
  });

  auto score = [](std::uint32_t frag, int rnk, double s, double freq, int neo, int clono, std::string conf,
                  std::vector<std::pair<std::uint32_t, double>> by) {
    rank::FragmentScore fs;
    fs.fragment = frag;
    fs.rank = rnk;
    fs.score = s;
    fs.evidenced_frequency = freq;
    fs.neoantigens = neo;
    fs.evidenced_clonotypes = clono;
    fs.confidence = std::move(conf);
    fs.by_neoantigen = std::move(by);
    return fs;
  };
  r.ranking = {score(2, 1, 0.2334, 0.29, 2, 3, "high", {{0, 0.2160}, {1, 0.0216}}),
               score(1, 2, 0.0776, 0.12, 1, 2, "low", {{1, 0.0776}}),
               score(0, 3, 0.06195, 0.08, 2, 3, "medium", {{0, 0.0459}, {3, 0.0126}}),
               score(3, 4, 0, 0, 0, 0, "none", {})};

  auto slot = [](std::string construct, std::string kind, int n, std::uint32_t neo, std::string seq, double prio) {
    rank::DesignSlot d;
    d.construct = std::move(construct);
    d.kind = std::move(kind);
    d.slot = n;
    d.neoantigen = neo;
    d.sequence = std::move(seq);
    d.priority = prio;
    d.reason = neo == 2 ? "weight only" : "evidence in F03, F01";
    return d;
  };
  r.design = {slot("TMG1", "tandem_minigene", 1, 1, "TEVVRRCPHHERCSDSDGLAPPQHL", 0.9),
              slot("TMG1", "tandem_minigene", 2, 0, "MTEYKLVVVGADGVGKSALTIQLIQ", 0.8),
              slot("TMG2", "tandem_minigene", 1, 3, "DLTVKIGDFGLATEKSRWSGSHQFE", 0.6),
              slot("PP1", "peptide_pool", 1, 2, "STRDPLSEITK", 0.1)};
  r.clonotype_best.assign(t.clonotypes.size(), rank::kNone);
  r.notes = {"1 candidate was dropped: no MT epitope passed the presentation filter"};
  return f;
}

}  // namespace tilmatch::test
