package net.ircbridge.matrix;

/** The homeserver refused a request for good: a 4xx answer other than 429. */
public class MatrixException extends RuntimeException {

    private final int status;
    private final String errcode;

    public MatrixException(int status, String errcode, String error) {
        super(status + " " + errcode + ": " + error);
        this.status = status;
        this.errcode = errcode;
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }
}
