/* sqlite workload: in-memory database, ~2000 inserts in one transaction,
 * a few aggregate queries. Linked against the static libsqlite3.a. */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#define NROWS 2000

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite error in %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static int print_row(void *label, int ncol, char **vals, char **names) {
    printf("%s:", (const char *)label);
    for (int i = 0; i < ncol; i++)
        printf(" %s=%s", names[i], vals[i] ? vals[i] : "NULL");
    printf("\n");
    return 0;
}

static void query(sqlite3 *db, const char *label, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, print_row, (void *)label, &err) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", label, err);
        sqlite3_free(err);
        exit(1);
    }
}

int main(void) {
    sqlite3 *db;
    sqlite3_stmt *ins;

    printf("sqlite %s\n", sqlite3_libversion());
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        die(db, "open");
    if (sqlite3_exec(db,
                     "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT,"
                     " grp INTEGER, price REAL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        die(db, "create");
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "begin");
    if (sqlite3_prepare_v2(db, "INSERT INTO items(name, grp, price) VALUES(?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK)
        die(db, "prepare");
    for (int i = 0; i < NROWS; i++) {
        char name[32];
        snprintf(name, sizeof name, "item-%04d", i);
        sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 2, i % 7);
        sqlite3_bind_double(ins, 3, (double)((i * 37) % 1000) / 10.0);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "commit");

    query(db, "total", "SELECT count(*) AS n, round(sum(price), 2) AS s FROM items");
    query(db, "group",
          "SELECT grp, count(*) AS n, round(avg(price), 3) AS avg, max(price) AS mx"
          " FROM items GROUP BY grp ORDER BY grp");
    query(db, "top",
          "SELECT name, price FROM items WHERE price > 99 ORDER BY price DESC, id LIMIT 3");
    query(db, "math", "SELECT round(sqrt(sum(price * price)), 4) AS norm FROM items");

    sqlite3_close(db);
    return 0;
}
