/* ladspa-confirm: a second, independent host for confirming ladspa-validate's findings.
 *
 * Plain C on ladspa.h, sharing no code with the validator: it loads one plugin by label,
 * sets every control input to its default (or 0), feeds noise and reports what
 * one test finds, so a finding reproduced here is not an artefact of the Rust host.
 *
 *   gcc -O1 -o ladspa-confirm ladspa-confirm.c -ldl -lm
 *   ladspa-confirm <plugin.so> <label> <test>
 *
 * Tests: cleanup-unactivated, run-adding, inplace, reset, determinism, denormal,
 * denormal-restored (the same with MXCSR set back to its value before dlopen, as hosts that
 * restore the FP environment have it), zero-length (a run of 0 samples on PROT_NONE memory),
 * fp-load (MXCSR before and after dlopen; x86-64), rt (allocator calls inside 16 runs, counted
 * by this executable's own malloc/calloc/realloc/free, which plugins bind to because the C
 * library refers to them and the linker therefore exports them),
 * rate:<hz>[,<hz>...] (at each rate in turn: instantiate, connect every port, activate, run
 * 1024 samples, deactivate, cleanup),
 * control:<port>:<value>[,<port>:<value>...] (4 runs of 1024 samples of noise at the defaults,
 * then each setting in turn for 16 runs; killed by SIGALRM after 20 s when it hangs).
 * Exit status 0 when the defect is NOT seen, 1 when it is, 2 on errors.
 */
#include <dlfcn.h>
#include <ladspa.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Allocator calls made while in_run is set (the "rt" test). */
static volatile int in_run;
static volatile long allocations;
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
void *malloc(size_t n) { allocations += in_run; return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { allocations += in_run; return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { allocations += in_run; return __libc_realloc(p, n); }
void free(void *p) { allocations += in_run; __libc_free(p); }

#define RATE 48000
#define N 8192
#define MAXP 512

static const LADSPA_Descriptor *d;
static LADSPA_Data controls[MAXP];

static float default_of(unsigned long p) {
  LADSPA_PortRangeHint h = d->PortRangeHints[p];
  int f = h.HintDescriptor;
  float lo = h.LowerBound, hi = h.UpperBound;
  if (LADSPA_IS_HINT_SAMPLE_RATE(f)) { lo *= RATE; hi *= RATE; }
  int lg = LADSPA_IS_HINT_LOGARITHMIC(f) && lo > 0 && hi > 0;
  float v = 0;
  switch (f & LADSPA_HINT_DEFAULT_MASK) {
  case LADSPA_HINT_DEFAULT_MINIMUM: v = lo; break;
  case LADSPA_HINT_DEFAULT_LOW: v = lg ? expf(logf(lo) * .75f + logf(hi) * .25f) : lo * .75f + hi * .25f; break;
  case LADSPA_HINT_DEFAULT_MIDDLE: v = lg ? sqrtf(lo * hi) : (lo + hi) / 2; break;
  case LADSPA_HINT_DEFAULT_HIGH: v = lg ? expf(logf(lo) * .25f + logf(hi) * .75f) : lo * .25f + hi * .75f; break;
  case LADSPA_HINT_DEFAULT_MAXIMUM: v = hi; break;
  case LADSPA_HINT_DEFAULT_1: v = 1; break;
  case LADSPA_HINT_DEFAULT_100: v = 100; break;
  case LADSPA_HINT_DEFAULT_440: v = 440; break;
  default:
    v = LADSPA_IS_HINT_BOUNDED_BELOW(f) ? lo : LADSPA_IS_HINT_BOUNDED_ABOVE(f) ? (hi < 0 ? hi : 0) : 0;
  }
  if (LADSPA_IS_HINT_INTEGER(f)) v = roundf(v);
  return v;
}

/* The audio ports, inputs and outputs. */
static unsigned long ins[MAXP], outs[MAXP], nin, nout;

static LADSPA_Handle make(void) {
  LADSPA_Handle h = d->instantiate(d, RATE);
  if (!h) { fprintf(stderr, "instantiate returned NULL\n"); exit(2); }
  for (unsigned long p = 0; p < d->PortCount; p++)
    if (LADSPA_IS_PORT_CONTROL(d->PortDescriptors[p])) d->connect_port(h, p, &controls[p]);
  return h;
}

static float input[MAXP][N], output[MAXP][N];

/* Noise from a generator of our own: the C library's rand() is the plugins' to use (some do,
 * in run), and seeding it here would hide their dependence on it. */
static void fill_noise(unsigned seed) {
  unsigned state = seed * 2654435761u + 1;
  for (unsigned long i = 0; i < nin; i++)
    for (int s = 0; s < N; s++) {
      state = state * 1664525u + 1013904223u;
      input[i][s] = (float)(state >> 8) / (float)(1u << 24) - 0.5f;
    }
}

/* Runs input through h in blocks of 1024 into output (inplace: output k shares input k). */
static void process(LADSPA_Handle h, int inplace, int adding) {
  for (int start = 0; start < N; start += 1024) {
    for (unsigned long i = 0; i < nin; i++) d->connect_port(h, ins[i], &input[i][start]);
    for (unsigned long o = 0; o < nout; o++)
      d->connect_port(h, outs[o], inplace && o < nin ? &input[o][start] : &output[o][start]);
    (adding ? d->run_adding : d->run)(h, 1024);
  }
  if (inplace)
    for (unsigned long o = 0; o < nout && o < nin; o++) memcpy(output[o], input[o], sizeof output[o]);
}

static float saved[MAXP][N];
static void save(void) { memcpy(saved, output, sizeof saved); }
static int compare(const char *what) {
  for (unsigned long o = 0; o < nout; o++)
    for (int s = 0; s < N; s++) {
      float a = saved[o][s], b = output[o][s];
      if (isnan(a) && isnan(b)) continue;
      if (fabsf(a - b) > 1e-6f + 1e-4f * fmaxf(fabsf(a), fabsf(b))) {
        printf("%s: output %lu sample %d: %g vs %g\n", what, o, s, a, b);
        return 1;
      }
    }
  printf("%s: no difference\n", what);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: %s plugin.so label test\n", argv[0]); return 2; }
  unsigned before_load = 0, after_load = 0;
#ifdef __x86_64__
  before_load = __builtin_ia32_stmxcsr();
#endif
  void *lib = dlopen(argv[1], RTLD_NOW);
#ifdef __x86_64__
  after_load = __builtin_ia32_stmxcsr();
#endif
  if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 2; }
  LADSPA_Descriptor_Function f = (LADSPA_Descriptor_Function)dlsym(lib, "ladspa_descriptor");
  for (unsigned long i = 0; f && (d = f(i)); i++)
    if (!strcmp(d->Label, argv[2])) break;
  if (!d) { fprintf(stderr, "no plugin %s\n", argv[2]); return 2; }
  for (unsigned long p = 0; p < d->PortCount && p < MAXP; p++) {
    LADSPA_PortDescriptor pd = d->PortDescriptors[p];
    if (LADSPA_IS_PORT_CONTROL(pd)) controls[p] = LADSPA_IS_PORT_INPUT(pd) ? default_of(p) : 0;
    else if (LADSPA_IS_PORT_INPUT(pd)) ins[nin++] = p;
    else outs[nout++] = p;
  }
  const char *t = argv[3];
  if (!strcmp(t, "cleanup-unactivated")) {
    LADSPA_Handle h = d->instantiate(d, RATE);
    printf("instantiate returned %p; calling cleanup without activate\n", h);
    fflush(stdout);
    d->cleanup(h);
    printf("cleanup returned\n");
    return 0;
  }
  if (!strcmp(t, "run-adding")) {
    if (!d->run_adding) { printf("no run_adding\n"); return 2; }
    fill_noise(1);
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    process(a, 0, 0);
    for (unsigned long o = 0; o < nout; o++)
      for (int s = 0; s < N; s++) saved[o][s] = 0.25f + 0.5f * output[o][s];
    LADSPA_Handle b = make();
    if (d->activate) d->activate(b);
    d->set_run_adding_gain(b, 0.5f);
    for (unsigned long o = 0; o < nout; o++)
      for (int s = 0; s < N; s++) output[o][s] = 0.25f;
    process(b, 0, 1);
    return compare("run_adding(gain 0.5) onto 0.25 vs 0.25 + 0.5 * run");
  }
  if (!strcmp(t, "inplace")) {
    fill_noise(2);
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    process(a, 0, 0);
    save();
    LADSPA_Handle b = make();
    if (d->activate) d->activate(b);
    process(b, 1, 0);
    return compare("in-place vs separate buffers");
  }
  if (!strcmp(t, "reset")) {
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    fill_noise(3); process(a, 0, 0); save();
    fill_noise(4); process(a, 0, 0);
    if (d->deactivate) d->deactivate(a);
    if (d->activate) d->activate(a);
    fill_noise(3); process(a, 0, 0);
    return compare("after deactivate + activate vs first run");
  }
  if (!strcmp(t, "determinism")) {
    LADSPA_Handle a = make(), b = make();
    if (d->activate) { d->activate(a); d->activate(b); }
    fill_noise(5); process(a, 0, 0); save();
    fill_noise(5); process(b, 0, 0);
    return compare("instance 2 vs instance 1");
  }
  if (!strncmp(t, "rate:", 5)) {
    fill_noise(9);
    for (const char *p = t + 5; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
      unsigned long rate = strtoul(p, NULL, 10);
      printf("%lu Hz: instantiate, connect, activate, run, deactivate, cleanup; ", rate);
      fflush(stdout);
      LADSPA_Handle a = d->instantiate(d, rate);
      if (!a) { printf("instantiate returned NULL\n"); return 1; }
      for (unsigned long q = 0; q < d->PortCount; q++)
        if (LADSPA_IS_PORT_CONTROL(d->PortDescriptors[q])) d->connect_port(a, q, &controls[q]);
      for (unsigned long i = 0; i < nin; i++) d->connect_port(a, ins[i], input[i]);
      for (unsigned long o = 0; o < nout; o++) d->connect_port(a, outs[o], output[o]);
      if (d->activate) d->activate(a);
      d->run(a, 1024);
      if (d->deactivate) d->deactivate(a);
      d->cleanup(a);
    }
    printf("returned\n");
    return 0;
  }
  if (!strncmp(t, "control:", 8)) {
    fill_noise(8);
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    for (unsigned long i = 0; i < nin; i++) d->connect_port(a, ins[i], input[i]);
    for (unsigned long o = 0; o < nout; o++) d->connect_port(a, outs[o], output[o]);
    alarm(20);
    for (int k = 0; k < 4; k++) d->run(a, 1024);
    for (const char *p = t + 8; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
      unsigned long port = strtoul(p, NULL, 10);
      float value = strtof(strchr(p, ':') + 1, NULL);
      controls[port] = value;
      printf("port %lu = %g: 16 runs of 1024 samples; ", port, value);
      fflush(stdout);
      for (int k = 0; k < 16; k++) d->run(a, 1024);
    }
    printf("returned\n");
    return 0;
  }
  if (!strcmp(t, "rt")) {
    fill_noise(7);
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    for (unsigned long i = 0; i < nin; i++) d->connect_port(a, ins[i], input[i]);
    for (unsigned long o = 0; o < nout; o++) d->connect_port(a, outs[o], output[o]);
    for (int k = 0; k < 16; k++) {
      in_run = 1;
      d->run(a, 1024);
      in_run = 0;
    }
    printf("%ld allocator calls inside 16 runs\n", allocations);
    return allocations > 0;
  }
  if (!strcmp(t, "fp-load")) {
    printf("MXCSR before dlopen %#x, after %#x\n", before_load, after_load);
    return (before_load & ~0x3fu) != (after_load & ~0x3fu);
  }
  if (!strcmp(t, "zero-length")) {
    float *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    for (unsigned long i = 0; i < nin; i++) d->connect_port(a, ins[i], page);
    for (unsigned long o = 0; o < nout; o++) d->connect_port(a, outs[o], page);
    printf("run(0) with every audio port on a PROT_NONE page\n");
    fflush(stdout);
    d->run(a, 0);
    printf("run(0) returned\n");
    return 0;
  }
  if (!strcmp(t, "denormal-restored")) {
#ifdef __x86_64__
    __builtin_ia32_ldmxcsr(before_load);
#endif
    t = "denormal";
  }
  if (!strcmp(t, "denormal")) {
    LADSPA_Handle a = make();
    if (d->activate) d->activate(a);
    long count = 0;
    for (int block = 0; block < 12; block++) {
      if (block == 0) fill_noise(6); else memset(input, 0, sizeof input);
      process(a, 0, 0);
      for (unsigned long o = 0; o < nout; o++)
        for (int s = 0; s < N; s++) count += fpclassify(output[o][s]) == FP_SUBNORMAL;
    }
    printf("%ld subnormal output samples as the input falls silent\n", count);
    return count > 0;
  }
  fprintf(stderr, "unknown test %s\n", t);
  return 2;
}
