/* SQLite workload: an in-memory database with two related tables filled in one
 * transaction, joins, aggregates, GROUP BY/HAVING, window functions, a CTE, and
 * user-defined SQL functions (scalar, aggregate and collation) implemented here, so
 * SQLite calls back into the host program. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static sqlite3 *db;

static void die(const char *what) {
    fprintf(stderr, "sqlite error in %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, err);
        exit(1);
    }
}

/* query prints every row of a statement, one line per row. */
static void query(const char *label, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(label);
    printf("-- %s\n", label);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            if (i)
                printf(" | ");
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: printf("NULL"); break;
            case SQLITE_INTEGER: printf("%lld", (long long)sqlite3_column_int64(st, i)); break;
            case SQLITE_FLOAT: printf("%.6g", sqlite3_column_double(st, i)); break;
            case SQLITE_BLOB: printf("blob[%d]", sqlite3_column_bytes(st, i)); break;
            default: printf("%s", (const char *)sqlite3_column_text(st, i));
            }
        }
        printf("\n");
    }
    if (rc != SQLITE_DONE)
        die(label);
    sqlite3_finalize(st);
}

/* rot13(text): scalar function. */
static void rot13(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const unsigned char *in = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    char *out = sqlite3_malloc(n + 1);
    for (int i = 0; i < n; i++) {
        int c = in[i];
        if (isupper(c))
            c = 'A' + (c - 'A' + 13) % 26;
        else if (islower(c))
            c = 'a' + (c - 'a' + 13) % 26;
        out[i] = (char)c;
    }
    out[n] = 0;
    sqlite3_result_text(ctx, out, n, sqlite3_free);
}

/* checked_div(a, b): raises an SQL error on division by zero. */
static void checked_div(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    long long b = sqlite3_value_int64(argv[1]);
    if (b == 0) {
        sqlite3_result_error(ctx, "checked_div: division by zero", -1);
        return;
    }
    sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0]) / b);
}

/* geomean(x): aggregate function, the geometric mean of the positive values. */
struct geo {
    double logsum;
    long long n;
};


static void geo_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    struct geo *g = sqlite3_aggregate_context(ctx, sizeof *g);
    double x = sqlite3_value_double(argv[0]);
    if (x > 0) {
        g->logsum += log(x);
        g->n++;
    }
}

static void geo_final(sqlite3_context *ctx) {
    struct geo *g = sqlite3_aggregate_context(ctx, 0);
    if (g == NULL || g->n == 0)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, exp(g->logsum / (double)g->n));
}

/* "reverse" collation: the reverse of binary order. */
static int reverse_collate(void *arg, int n1, const void *s1, int n2, const void *s2) {
    (void)arg;
    int n = n1 < n2 ? n1 : n2;
    int c = memcmp(s1, s2, (size_t)n);
    if (c == 0)
        c = n1 - n2;
    return -c;
}

static int calls;

static void counted(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    calls++;
    sqlite3_result_value(ctx, argv[0]);
}

int main(void) {
    printf("sqlite %s\n", sqlite3_libversion());
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        die("open");
    if (sqlite3_create_function(db, "rot13", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, rot13, NULL, NULL) ||
        sqlite3_create_function(db, "checked_div", 2, SQLITE_UTF8, NULL, checked_div, NULL, NULL) ||
        sqlite3_create_function(db, "geomean", 1, SQLITE_UTF8, NULL, NULL, geo_step, geo_final) ||
        sqlite3_create_function(db, "counted", 1, SQLITE_UTF8, NULL, counted, NULL, NULL) ||
        sqlite3_create_collation(db, "reverse", SQLITE_UTF8, NULL, reverse_collate))
        die("create_function");

    exec("CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT);"
         "CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept_id INTEGER REFERENCES dept(id),"
         " salary REAL, hired TEXT, manager_id INTEGER);"
         "CREATE INDEX emp_dept ON emp(dept_id);");

    exec("BEGIN");
    static const char *depts[][2] = {{"Engineering", "Berlin"}, {"Sales", "Paris"}, {"Support", "Lisbon"},
                                     {"Research", "Berlin"}, {"Empty", NULL}};
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO dept(name, city) VALUES(?, ?)", -1, &st, NULL) != SQLITE_OK)
        die("prepare dept");
    for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++) {
        sqlite3_bind_text(st, 1, depts[i][0], -1, SQLITE_STATIC);
        if (depts[i][1])
            sqlite3_bind_text(st, 2, depts[i][1], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 2);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("insert dept");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "INSERT INTO emp(name, dept_id, salary, hired, manager_id) VALUES(?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        die("prepare emp");
    static const char *first[] = {"Ada", "Brian", "Chen", "Dana", "Emil", "Fatou", "Goran", "Hana", "Ivo", "Jun"};
    for (int i = 0; i < 500; i++) {
        char name[32], hired[16];
        snprintf(name, sizeof name, "%s-%03d", first[i % 10], i);
        snprintf(hired, sizeof hired, "20%02d-%02d-%02d", 10 + i % 14, 1 + i % 12, 1 + (i * 7) % 28);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, 1 + (i * 7) % 4);
        sqlite3_bind_double(st, 3, 30000.0 + (double)((i * 7919) % 50000) + (i % 3) * 0.25);
        sqlite3_bind_text(st, 4, hired, -1, SQLITE_TRANSIENT);
        if (i < 4)
            sqlite3_bind_null(st, 5);
        else
            sqlite3_bind_int(st, 5, 1 + i % 4);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("insert emp");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec("COMMIT");

    /* A rolled-back transaction leaves no trace. */
    exec("BEGIN; DELETE FROM emp WHERE salary > 50000; ROLLBACK");

    query("counts", "SELECT (SELECT count(*) FROM dept), count(*), round(sum(salary), 2), min(hired), max(hired) FROM emp");
    query("join + group by",
          "SELECT d.name, d.city, count(e.id) AS n, round(avg(e.salary), 2), max(e.salary)"
          " FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.id ORDER BY n DESC, d.name");
    query("having",
          "SELECT d.city, count(*) FROM emp e JOIN dept d ON d.id = e.dept_id"
          " GROUP BY d.city HAVING count(*) > 130 ORDER BY d.city");
    query("self join", "SELECT e.name, m.name FROM emp e JOIN emp m ON m.id = e.manager_id ORDER BY e.id LIMIT 5");
    query("window",
          "SELECT name, dept_id, salary, rank() OVER (PARTITION BY dept_id ORDER BY salary DESC) AS r"
          " FROM emp WHERE id % 50 = 0 ORDER BY dept_id, r");
    query("cte",
          "WITH RECURSIVE fib(i, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < 90)"
          " SELECT i, a FROM fib WHERE i % 15 = 0");
    query("udf scalar", "SELECT name, rot13(name), rot13(NULL) FROM dept ORDER BY id");
    query("udf aggregate", "SELECT dept_id, round(geomean(salary), 3) FROM emp GROUP BY dept_id");
    query("collation", "SELECT name FROM dept ORDER BY name COLLATE reverse");
    query("udf in where", "SELECT count(*) FROM emp WHERE counted(id) % 100 = 0");
    printf("counted() called %d times\n", calls);
    query("strings + dates",
          "SELECT upper(substr(name, 1, 3)) || '/' || length(name), printf('%08.2f', salary), strftime('%j', hired),"
          " date(hired, '+1 month'), instr(name, '-'), replace(hired, '-', '')"
          " FROM emp WHERE id IN (1, 77, 333)");
    query("json", "SELECT json_object('n', count(*), 'depts', json_group_array(DISTINCT dept_id)) FROM emp");
    query("math", "SELECT 7 / 2, 7 / 2.0, 7 % 3, abs(-4), round(2.5), 1e308 * 10, typeof(1e308 * 10), cast('12abc' AS INTEGER)");

    /* An error raised by the host function, reported through sqlite. */
    char *err = NULL;
    int rc = sqlite3_exec(db, "SELECT checked_div(10, 0)", NULL, NULL, &err);
    printf("checked_div(10, 0): rc=%d err=%s\n", rc, err ? err : "(none)");
    sqlite3_free(err);
    query("checked_div ok", "SELECT checked_div(100, 7), checked_div(-9, 2)");
    rc = sqlite3_exec(db, "INSERT INTO dept(name) VALUES('Sales')", NULL, NULL, &err);
    printf("unique violation: rc=%d err=%s\n", rc, err ? err : "(none)");
    sqlite3_free(err);

    sqlite3_close(db);
    return 0;
}
