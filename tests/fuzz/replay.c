/* replay.c -- run fuzz_reads.c's LLVMFuzzerTestOneInput over files and
 * folders without libFuzzer, so `make check` can replay the corpus with gcc:
 *
 *   cc -std=gnu11 -g -DDY_FUZZING -fsanitize=address,undefined -Iinclude -Isrc \
 *       tests/fuzz/replay.c tests/fuzz/fuzz_reads.c src/fastx.c -o replay
 *   ./replay tests/fuzz/corpus
 *
 * Exits 0 after running every input (a failed property traps). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = 0;
	size_t n = 0, m = 0, k;
	if (fp == 0) { perror(path); return -1; }
	do {
		if (n == m) {
			uint8_t *p = realloc(buf, m = m * 2 + 4096);
			if (p == 0) { free(buf); fclose(fp); return -1; }
			buf = p;
		}
		k = fread(buf + n, 1, m - n, fp);
		n += k;
	} while (k > 0);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int run_path(const char *path, int *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int ret = 0;
	if (stat(path, &st) < 0) { perror(path); return -1; }
	if (!S_ISDIR(st.st_mode)) return ++*count, run_file(path);
	if ((d = opendir(path)) == 0) { perror(path); return -1; }
	while ((e = readdir(d)) != 0) {
		char sub[4096];
		if (e->d_name[0] == '.') continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (run_path(sub, count) < 0) ret = -1;
	}
	closedir(d);
	return ret;
}

int main(int argc, char *argv[])
{
	int i, ret = 0, count = 0;
	if (argc < 2) {
		fprintf(stderr, "Usage: replay <file or folder>...\n");
		return EXIT_FAILURE;
	}
	for (i = 1; i < argc; ++i)
		if (run_path(argv[i], &count) < 0) ret = 1;
	fprintf(stderr, "replay: %d inputs\n", count);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
