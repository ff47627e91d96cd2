/* Unit tests of lib/tfevents.c: CRC-32C, the protobuf reader, records. */
#include <sys/resource.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

START_TEST(test_crc32c)
{
	/* The standard check value and RFC 3720 (iSCSI) B.4 vectors. */
	static const unsigned char zeros[32], ones[32] = {
	    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	    255, 255, 255, 255, 255, 255 };
	unsigned char up[32];
	uint32_t c;
	int i;

	ck_assert_uint_eq(lrk_crc32c("123456789", 9), 0xe3069283U);
	ck_assert_uint_eq(lrk_crc32c(zeros, 32), 0x8a9136aaU);
	ck_assert_uint_eq(lrk_crc32c(ones, 32), 0x62a8ab43U);
	for (i = 0; i < 32; i++)
		up[i] = (unsigned char)i;
	ck_assert_uint_eq(lrk_crc32c(up, 32), 0x46dd794eU);
	ck_assert_uint_eq(lrk_crc32c("", 0), 0);
	c = lrk_crc32c("123456789", 9);
	ck_assert_uint_eq(lrk_crc32c_masked("123456789", 9),
	    (((c >> 15) | (c << 17)) + 0xa282ead8U) & 0xffffffffU);
}
END_TEST

/* An Event: wall_time 1.5, step 300, one simple_value "loss" = 0.25. */
static const unsigned char simple_event[] = {
	0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,	/* wall_time 1.5 */
	0x10, 0xac, 0x02,			/* step 300 */
	0x2a, 0x0d,				/* summary, 13 bytes */
	0x0a, 0x0b,				/* value, 11 bytes */
	0x0a, 0x04, 'l', 'o', 's', 's',		/* tag */
	0x15, 0, 0, 0x80, 0x3e			/* simple_value 0.25f */
};

START_TEST(test_parse_simple)
{
	struct lrk_tfevent ev = { 0 };

	ck_assert_int_eq(lrk_tfevent_parse(simple_event,
	    sizeof(simple_event), &ev), 0);
	ck_assert(ev.wall_time == 1.5);
	ck_assert_int_eq(ev.step, 300);
	ck_assert_uint_eq(ev.nvalues, 1);
	ck_assert_uint_eq(ev.values[0].tag_len, 4);
	ck_assert(memcmp(ev.values[0].tag, "loss", 4) == 0);
	ck_assert(ev.values[0].value == 0.25);
	ck_assert_int_eq(ev.values[0].is_tensor, 0);
	lrk_tfevent_free(&ev);
}
END_TEST

START_TEST(test_parse_tensor)
{
	/* A rank-0 DT_DOUBLE tensor in double_val, with plugin "scalars". */
	static const unsigned char ev2[] = {
		0x10, 0x7f,				/* step 127 */
		0x2a, 0x23,				/* summary */
		0x0a, 0x21,				/* value */
		0x0a, 0x02, 'l', 'r',
		0x42, 0x0e,				/* tensor, 14 */
		0x08, 0x02,				/* dtype double */
		0x12, 0x00,				/* shape, rank 0 */
		0x32, 0x08, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f,	/* 0.5 */
		0x00 + 0x4a, 0x0b,			/* metadata */
		0x0a, 0x09, 0x0a, 0x07,
		's', 'c', 'a', 'l', 'a', 'r', 's'
	};
	/* A rank-1 tensor of one float: not a scalar. */
	static const unsigned char ev3[] = {
		0x2a, 0x14, 0x0a, 0x12,
		0x0a, 0x01, 'v',
		0x42, 0x0d, 0x08, 0x01,
		0x12, 0x04, 0x12, 0x02, 0x08, 0x01,	/* dim size 1 */
		0x2d, 0, 0, 0x80, 0x3f			/* float_val 1 */
	};
	/* Shape [3, 0xAAAAAAAAAAAAAAAB]: the product wraps to 1 in 64 bits,
	 * but it is no scalar. */
	static const unsigned char ev4[] = {
		0x10, 0x7f, 0x2a, 0x34, 0x0a, 0x32, 0x0a, 0x02, 0x6c, 0x72,
		0x42, 0x1f, 0x08, 0x02, 0x12, 0x11, 0x12, 0x02, 0x08, 0x03,
		0x12, 0x0b, 0x08, 0xab, 0xd5, 0xaa, 0xd5, 0xaa, 0xd5, 0xaa,
		0xd5, 0xaa, 0x01, 0x32, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0xe0, 0x3f, 0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07, 0x73,
		0x63, 0x61, 0x6c, 0x61, 0x72, 0x73
	};
	struct lrk_tfevent ev = { 0 };

	ck_assert_int_eq(lrk_tfevent_parse(ev4, sizeof(ev4), &ev), 0);
	ck_assert_uint_eq(ev.nvalues, 1);	/* kept for its metadata */
	ck_assert_int_eq(ev.values[0].not_scalar, 1);
	lrk_tfevent_free(&ev);
	memset(&ev, 0, sizeof(ev));
	ck_assert_int_eq(lrk_tfevent_parse(ev2, sizeof(ev2), &ev), 0);
	ck_assert_int_eq(ev.step, 127);
	ck_assert_uint_eq(ev.nvalues, 1);
	ck_assert(ev.values[0].value == 0.5);
	ck_assert_int_eq(ev.values[0].is_tensor, 1);
	ck_assert_int_eq(ev.values[0].has_metadata, 1);
	ck_assert_uint_eq(ev.values[0].plugin_len, 7);
	ck_assert_int_eq(lrk_tfevent_parse(ev3, sizeof(ev3), &ev), 0);
	ck_assert_uint_eq(ev.nvalues, 0);
	lrk_tfevent_free(&ev);
}
END_TEST

START_TEST(test_parse_malformed)
{
	struct lrk_tfevent ev = { 0 };
	unsigned char bad[sizeof(simple_event)];
	size_t n;

	/* Every prefix that cuts a field is malformed, never a crash. */
	for (n = 1; n < sizeof(simple_event); n++)
		if (n != 9 && n != 12)
			ck_assert_int_eq(lrk_tfevent_parse(simple_event, n,
			    &ev), -1);
	ck_assert_int_eq(lrk_tfevent_parse(simple_event, 9, &ev), 0);
	ck_assert_int_eq(lrk_tfevent_parse(simple_event, 12, &ev), 0);
	ck_assert_uint_eq(ev.nvalues, 0);
	/* Field number 0, wire types 3, 4, 6 and 7. */
	ck_assert_int_eq(lrk_tfevent_parse("\x00\x01", 2, &ev), -1);
	ck_assert_int_eq(lrk_tfevent_parse("\x0b", 1, &ev), -1);
	ck_assert_int_eq(lrk_tfevent_parse("\x0c", 1, &ev), -1);
	ck_assert_int_eq(lrk_tfevent_parse("\x0e", 1, &ev), -1);
	ck_assert_int_eq(lrk_tfevent_parse("\x0f", 1, &ev), -1);
	/* A varint longer than ten bytes. */
	ck_assert_int_eq(lrk_tfevent_parse("\x10\xff\xff\xff\xff\xff\xff"
	    "\xff\xff\xff\xff\x01", 12, &ev), -1);
	/* A negative step: ten bytes, two's complement. */
	ck_assert_int_eq(lrk_tfevent_parse("\x10\xff\xff\xff\xff\xff\xff"
	    "\xff\xff\xff\x01", 11, &ev), 0);
	ck_assert_int_eq(ev.step, -1);
	/* A summary length past the end. */
	memcpy(bad, simple_event, sizeof(bad));
	bad[13] = 0x7f;
	ck_assert_int_eq(lrk_tfevent_parse(bad, sizeof(bad), &ev), -1);
	lrk_tfevent_free(&ev);
}
END_TEST

/* Write a record's head to fp: a length of n and its checksum. */
static void
put_head(FILE *fp, uint64_t n)
{
	unsigned char head[12];
	uint32_t c;
	int i;

	for (i = 0; i < 8; i++)
		head[i] = (unsigned char)(n >> (8 * i));
	c = lrk_crc32c_masked(head, 8);
	for (i = 0; i < 4; i++)
		head[8 + i] = (unsigned char)(c >> (8 * i));
	fwrite(head, 1, 12, fp);
}

/* Write one record of data to fp. */
static void
put_record(FILE *fp, const void *data, size_t len)
{
	uint32_t c;
	int i;

	put_head(fp, len);
	fwrite(data, 1, len, fp);
	c = lrk_crc32c_masked(data, len);
	for (i = 0; i < 4; i++)
		fputc((int)((c >> (8 * i)) & 0xff), fp);
}

static int
import(FILE *fp, int wide, char **out, char *err)
{
	struct lrk_writer *w;
	struct lrk_dense_options opt = { .merge = wide ? "step" : NULL };
	struct lrk_dense *d;
	FILE *o;
	size_t len;
	int r;

	o = open_memstream(out, &len);
	w = lrk_writer_new(o, ',', "\n");
	d = lrk_dense_new(&opt, w);
	rewind(fp);
	r = lrk_tfevents_import(fp, "ev", wide, d, err);
	if (r == 0)
		r = lrk_dense_finish(d, err);
	lrk_dense_free(d);
	lrk_writer_free(w);
	fclose(o);
	return r;
}

START_TEST(test_records)
{
	char err[LRK_ERRSIZE], *out;
	unsigned char head[12];
	FILE *fp = tmpfile();

	put_record(fp, "\x10\x01", 2);
	put_record(fp, simple_event, sizeof(simple_event));
	rewind(fp);
	ck_assert_uint_eq(fread(head, 1, 12, fp), 12);
	ck_assert(lrk_tfevents_sniff(head, 12));
	ck_assert(!lrk_tfevents_sniff(head, 11));
	ck_assert_int_eq(import(fp, 0, &out, err), 0);
	ck_assert_str_eq(out, "step,wall_time,tag,value\n300,1.5,loss,0.25\n");
	free(out);
	ck_assert_int_eq(import(fp, 1, &out, err), 0);
	ck_assert_str_eq(out, "step,wall_time,loss\n300,1.5,0.25\n");
	free(out);
	/* A flipped bit in the second record's data. */
	fseek(fp, 18 + 12 + 3, SEEK_SET);
	fputc(0x11, fp);
	ck_assert_int_eq(import(fp, 0, &out, err), -1);
	ck_assert_str_eq(err, "ev: offset 18: corrupt record: the data "
	    "checksum does not match");
	ck_assert_str_eq(out, "");
	free(out);
	fclose(fp);
}
END_TEST

/*
 * A length of 1 GiB whose checksum matches, then 7 bytes: a truncated
 * record, found without reserving the gigabyte first.  The address space
 * is held to what the test uses plus 256 MiB while it reads (not under
 * ASan, whose shadow memory takes terabytes of it).
 */
START_TEST(test_huge_length)
{
	char err[LRK_ERRSIZE], *out = NULL;
	struct rlimit old;
	FILE *fp = tmpfile();
	int r;

	put_head(fp, (uint64_t)1 << 30);
	fwrite("\x08\x01\x10\x02" "abc", 1, 7, fp);
	fflush(fp);
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
#ifndef __SANITIZE_ADDRESS__
	{
		struct rlimit low = old;
		unsigned long pages = 0;
		FILE *statm = fopen("/proc/self/statm", "r");

		ck_assert_ptr_nonnull(statm);
		ck_assert_int_eq(fscanf(statm, "%lu", &pages), 1);
		fclose(statm);
		low.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) +
		    ((rlim_t)256 << 20);
		ck_assert_int_eq(setrlimit(RLIMIT_AS, &low), 0);
	}
#endif
	r = import(fp, 0, &out, err);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	ck_assert_int_eq(r, -1);
	ck_assert_str_eq(err, "ev: offset 0: truncated record (19 of "
	    "1073741840 bytes)");
	free(out);
	fclose(fp);
}
END_TEST

/* Many tags and many records: memory per tag, time linear. */
START_TEST(test_many)
{
	unsigned char ev[64];
	char err[LRK_ERRSIZE], *out;
	FILE *fp = tmpfile();
	int i, n;

	for (i = 0; i < 16000; i++) {
		n = 0;
		ev[n++] = 0x10;
		ev[n++] = (unsigned char)(0x80 | (i & 0x7f));
		ev[n++] = (unsigned char)(i >> 7);
		ev[n++] = 0x2a;
		ev[n++] = 15;
		ev[n++] = 0x0a;
		ev[n++] = 13;
		ev[n++] = 0x0a;
		ev[n++] = 6;
		n += sprintf((char *)ev + n, "t%05d", i % 500);
		ev[n++] = 0x15;
		memcpy(ev + n, "\0\0\x80\x3f", 4);	/* 1.0f */
		n += 4;
		put_record(fp, ev, (size_t)n);
	}
	ck_assert_msg(import(fp, 1, &out, err) == 0, "%s", err);
	ck_assert(strncmp(out, "step,wall_time,t00000,t00001,", 29) == 0);
	ck_assert(strstr(out, "\n15999,0,") != NULL);
	free(out);
	fclose(fp);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tfevents");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_crc32c);
	tcase_add_test(core, test_parse_simple);
	tcase_add_test(core, test_parse_tensor);
	tcase_add_test(core, test_records);
	tcase_add_test(limits, test_parse_malformed);
	tcase_add_test(limits, test_many);
	tcase_add_test(limits, test_huge_length);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
