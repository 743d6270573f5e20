package net.ircbridge.store;

import net.ircbridge.testbed.TestBed;

/** The store on a real PostgreSQL, started by the test bed. */
class PostgresStoreIT extends StoreContract {

    @Override
    protected Database open() {
        TestBed bed = TestBed.get();
        return Database.postgresql(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword(), 4);
    }
}
