package dev.plugboard.plugins.search;

import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.catalog.CatalogItem.Hints;
import dev.plugboard.api.catalog.CatalogItem.Kind;
import dev.plugboard.api.catalog.CatalogItem.Parameter;
import java.util.List;

/** A small catalogue of realistic entries, and queries labelled with the entry each looks for. */
final class LabelledCatalogue {

    private static final Hints READ_ONLY = new Hints(true, false, true, true);
    private static final Hints WRITES = new Hints(false, false, false, true);
    private static final Hints DESTROYS = new Hints(false, true, false, false);

    /**
     * A query and the key of the entry it looks for.
     *
     * @param text the query
     * @param expected the key of the entry that answers it
     */
    record Labelled(String text, String expected) {
    }

    private LabelledCatalogue() {
    }

    static CatalogItem tool(String name, String description, Hints hints, String bundle, Parameter... parameters) {
        return new CatalogItem(Kind.TOOL, name, name, null, description, List.of(parameters), hints, "{\"type\":\"object\"}",
                bundle);
    }

    static Parameter param(String name, String description) {
        return new Parameter(name, description, true);
    }

    static List<CatalogItem> entries() {
        return List.of(
                tool("get_weather_forecast", "Gets the weather forecast (temperature, rain, wind) for a city for the "
                        + "next days.", READ_ONLY, "acme.weather", param("city", "City name")),
                tool("convertCurrency", "Converts an amount of money from one currency to another at today's "
                        + "exchange rate.", READ_ONLY, "acme.finance", param("amount", "How much"),
                        param("from", "ISO 4217 code"), param("to", "ISO 4217 code")),
                tool("send_email", "Sends an email message to one or more recipients.", WRITES, "acme.mail",
                        param("to", "Recipient addresses"), param("subject", "Subject line"), param("body", "Text")),
                tool("readFile", "Reads the contents of a text file from the workspace.", READ_ONLY, "acme.files",
                        param("path", "File path")),
                tool("delete_file", "Permanently deletes a file from the workspace.", DESTROYS, "acme.files",
                        param("path", "File path")),
                tool("list_directory", "Lists the files and folders in a directory of the workspace.", READ_ONLY,
                        "acme.files", param("path", "Directory path")),
                tool("web_search", "Searches the internet and returns the top pages with titles and snippets.",
                        READ_ONLY, "acme.web", param("query", "Search terms")),
                tool("translateText", "Translates text between languages, for example English to French.", READ_ONLY,
                        "acme.language", param("text", "Text to translate"), param("target", "Target language")),
                tool("create_calendar_event", "Creates an event in the user's calendar with a title, start and end "
                        + "time and attendees.", WRITES, "acme.calendar", param("title", "Event title"),
                        param("start", "Start time")),
                tool("resizeImage", "Resizes a picture to the given width and height in pixels.", WRITES,
                        "acme.images", param("width", "Pixels"), param("height", "Pixels")),
                tool("run_sql_query", "Runs a read-only SQL query against the analytics database and returns rows.",
                        READ_ONLY, "acme.data", param("sql", "The SELECT statement")),
                tool("git_commit", "Records staged changes in the git repository with a commit message.", WRITES,
                        "acme.git", param("message", "Commit message")),
                tool("shortenURL", "Makes a short link that redirects to a long URL.", WRITES, "acme.web",
                        param("url", "The long URL")),
                tool("stock_quote", "Gives the latest share price of a company listed on a stock exchange.",
                        READ_ONLY, "acme.finance", param("ticker", "Ticker symbol")),
                tool("drop_table", "Drops a table and all its rows from the analytics database.", DESTROYS,
                        "acme.data", param("table", "Table name")),
                new CatalogItem(Kind.PROMPT, "code_review", "code_review", "Code review", "Asks for a careful review "
                        + "of a code change, with risks and suggestions.", List.of(param("diff", "The change")), null,
                        null, "acme.git"),
                new CatalogItem(Kind.RESOURCE, "file:///handbook/holidays.md", "holidays", "Holiday policy",
                        "The company's holiday and leave policy.", List.of(), null, null, "acme.hr"),
                new CatalogItem(Kind.RESOURCE_TEMPLATE, "weather://stations/{id}", "weather_station",
                        "Weather station", "Live readings of one weather station.", List.of(param("id", "Station id")),
                        null, null, "acme.weather"));
    }

    /** Queries sharing words (after stemming and splitting) with the entry they look for. */
    static List<Labelled> lexicalQueries() {
        return List.of(
                new Labelled("weather forecast for Paris", "get_weather_forecast"),
                new Labelled("convert currency", "convertCurrency"),
                new Labelled("sending an email to my team", "send_email"),
                new Labelled("read the file notes.txt", "readFile"),
                new Labelled("delete a file", "delete_file"),
                new Labelled("translate text", "translateText"),
                new Labelled("create an event in my calendar", "create_calendar_event"),
                new Labelled("resize image", "resizeImage"),
                new Labelled("SQL query on the analytics database", "run_sql_query"),
                new Labelled("commit my changes to git", "git_commit"),
                new Labelled("shorten this URL", "shortenURL"),
                new Labelled("stock price quote", "stock_quote"));
    }

    /** Queries that say what they want in other words than the entry's. */
    static List<Labelled> paraphrasedQueries() {
        return List.of(
                new Labelled("will it be sunny tomorrow in Berlin?", "get_weather_forecast"),
                new Labelled("how many euros do I get for 100 dollars", "convertCurrency"),
                new Labelled("write a message to my boss's inbox", "send_email"),
                new Labelled("what folders are there in my project", "list_directory"),
                new Labelled("look something up on google", "web_search"),
                new Labelled("say this sentence in Spanish", "translateText"),
                new Labelled("schedule a meeting with Anna on Monday at 10", "create_calendar_event"),
                new Labelled("make the photo smaller", "resizeImage"),
                new Labelled("how much is an Apple share worth right now", "stock_quote"));
    }
}
