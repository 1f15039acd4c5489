"""Pieces shared by the synthetic-patient generators (scripts/make-example, scripts/make-realistic):
random proteins, VEP CSQ entries with the Wildtype/Frameshift plugin fields pVACseq needs, the
FORMAT fields of a tumour/normal pair (DNA, RNA, expression) and the VCF writer.

Every random draw goes through the caller's random.Random, in a fixed order, so a generator that
calls these in the same order produces the same bytes.
"""
import os

AA = "ACDEFGHIKLMNPQRSTVWY"
CSQ_FIELDS = ["Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature_type", "Feature", "BIOTYPE",
              "EXON", "INTRON", "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position",
              "Amino_acids", "Codons", "Existing_variation", "DISTANCE", "STRAND", "FLAGS", "SYMBOL_SOURCE",
              "HGNC_ID", "CANONICAL", "MANE_SELECT", "TSL", "WildtypeProtein", "FrameshiftSequence"]
FORMAT = "GT:AD:DP:AF:RDP:RAD:RAF:GX:TX"


def protein(rng, n):
    return "M" + "".join(rng.choice(AA) for _ in range(n - 1))


def other_aa(rng, a):
    return rng.choice([x for x in AA if x != a])


def three(aa):
    names = dict(A="Ala", C="Cys", D="Asp", E="Glu", F="Phe", G="Gly", H="His", I="Ile", K="Lys",
                 L="Leu", M="Met", N="Asn", P="Pro", Q="Gln", R="Arg", S="Ser", T="Thr", V="Val",
                 W="Trp", Y="Tyr")
    return names[aa]


def csq(**kw):
    return "|".join(str(kw.get(f, "")) for f in CSQ_FIELDS)


def write_atomic(path, text):
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)


def sample_format(rng, gene_id, tx, vaf=(0.08, 0.6), rna_vaf=(0.0, 0.6), expression=(0.5, 150.0)):
    """Tumour and normal FORMAT values (FORMAT above): tumour DNA depth/AD/AF, RNA depth/alt/VAF,
    gene and transcript expression (TPM); the normal is a hom-ref DNA call. Draws, in order: tumour,
    normal and RNA depths, VAF, RNA alt fraction, gene TPM, transcript share."""
    tdp, ndp, rdp = rng.randint(40, 160), rng.randint(30, 90), rng.randint(20, 120)
    af = round(rng.uniform(*vaf), 3)
    tad = max(1, round(tdp * af))
    rad = max(0, round(rdp * rng.uniform(*rna_vaf)))
    gx = round(rng.uniform(*expression), 3)
    txv = round(gx * rng.uniform(0.3, 1.0), 3)
    tumour = "0/1:%d,%d:%d:%s:%d:%d:%s:%s|%s:%s|%s" % (
        tdp - tad, tad, tdp, af, rdp, rad, round(rad / rdp, 3) if rdp else 0, gene_id, gx, tx, txv)
    normal = "0/0:%d,0:%d:0.0:.:.:.:.:." % (ndp, ndp)
    return tumour, normal


def write_vcf(path, records, samples, reference_note):
    """records: (chrom 'chrN', pos, ref, alt, info, tumour, normal); written sorted by chromosome
    number and position with the VEP CSQ header tilmatch and pVACseq need."""
    chroms = sorted({r[0] for r in records}, key=lambda c: int(c[3:]))
    records = sorted(records, key=lambda r: (int(r[0][3:]), r[1]))
    lines = ["##fileformat=VCFv4.2",
             "##reference=GRCh38 (%s)" % reference_note,
             '##VEP="v105" assembly="GRCh38"']
    lines += ["##contig=<ID=%s,length=250000000>" % c for c in chroms]
    lines += ['##FILTER=<ID=PASS,Description="All filters passed">',
              '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: %s">' % "|".join(CSQ_FIELDS),
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
              '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Variant allele fraction">',
              '##FORMAT=<ID=RDP,Number=1,Type=Integer,Description="RNA read depth">',
              '##FORMAT=<ID=RAD,Number=1,Type=Integer,Description="RNA alt depth">',
              '##FORMAT=<ID=RAF,Number=1,Type=Float,Description="RNA VAF">',
              '##FORMAT=<ID=GX,Number=.,Type=String,Description="Gene expression (gene|TPM)">',
              '##FORMAT=<ID=TX,Number=.,Type=String,Description="Transcript expression (transcript|TPM)">',
              "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + list(samples))]
    for chrom, p, ref, alt, info, t, n in records:
        lines.append("\t".join([chrom, str(p), ".", ref, alt, ".", "PASS", info, FORMAT, t, n]))
    write_atomic(path, "\n".join(lines) + "\n")
