package org.hallway.analysis;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalysisMode;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.IntSetting;
import org.elasticsearch.plugin.settings.ListSetting;
import org.tartarus.snowball.ext.DutchStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;

/** Lucene token filters that the integ-test distribution lacks, as named components. */
public final class Filters {
    private Filters() {}

    @NamedComponent("hallway_english_stem")
    public static final class EnglishStem implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return new SnowballFilter(new EnglishPossessiveFilter(in), new EnglishStemmer());
        }
    }

    @NamedComponent("hallway_dutch_stem")
    public static final class DutchStem implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return new DutchFinalConsonant(new SnowballFilter(in, new DutchStemmer()));
        }
    }

    /**
     * Snowball's Dutch stemmer leaves the stem of a plural with the voiced
     * consonant (verloven -> verlov, huizen -> huiz) while the singular keeps the
     * voiceless one (verlof, huis); ending a stem in f/s instead lets both meet.
     */
    static final class DutchFinalConsonant extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

        DutchFinalConsonant(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            int n = term.length();
            if (n > 3 && !keyword.isKeyword()) {
                char last = term.buffer()[n - 1];
                if (last == 'v') {
                    term.buffer()[n - 1] = 'f';
                } else if (last == 'z') {
                    term.buffer()[n - 1] = 's';
                }
            }
            return true;
        }
    }

    @AnalysisSettings
    public interface DecompoundSettings {
        @ListSetting(path = "word_list")
        List<String> wordList();
    }

    /**
     * Dutch compounds (laptopaanvraag, verlofdagen) also index their parts found
     * in a word list, next to the whole word, so "laptop aanvragen" finds them.
     */
    @NamedComponent("hallway_decompound")
    public static final class Decompound implements TokenFilterFactory {
        private final CharArraySet words;

        @Inject
        public Decompound(DecompoundSettings settings) {
            List<String> list = settings.wordList();
            this.words = new CharArraySet(list == null ? List.of() : list, true);
        }

        @Override
        public TokenStream create(TokenStream in) {
            if (words.isEmpty()) {
                return in;
            }
            return new DictionaryCompoundWordTokenFilter(in, words, 8, 4, 20, true);
        }
    }

    @NamedComponent("hallway_english_stop")
    public static final class EnglishStop implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return new StopFilter(in, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        }
    }

    @NamedComponent("hallway_dutch_stop")
    public static final class DutchStop implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return new StopFilter(in, DutchAnalyzer.getDefaultStopSet());
        }
    }

    @NamedComponent("hallway_asciifolding")
    public static final class AsciiFolding implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, false);
        }

        @Override
        public TokenStream normalize(TokenStream in) {
            return new ASCIIFoldingFilter(in, false);
        }
    }

    @AnalysisSettings
    public interface EdgeNGramSettings {
        @IntSetting(path = "min_gram", defaultValue = 2)
        int minGram();

        @IntSetting(path = "max_gram", defaultValue = 15)
        int maxGram();
    }

    @NamedComponent("hallway_edge_ngram")
    public static final class EdgeNGram implements TokenFilterFactory {
        private final int minGram;
        private final int maxGram;

        @Inject
        public EdgeNGram(EdgeNGramSettings settings) {
            this.minGram = settings.minGram();
            this.maxGram = settings.maxGram();
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new EdgeNGramTokenFilter(in, minGram, maxGram, true);
        }
    }

    @AnalysisSettings
    public interface SynonymSettings {
        @ListSetting(path = "synonyms")
        List<String> synonyms();
    }

    @NamedComponent("hallway_synonyms")
    public static final class Synonyms implements TokenFilterFactory {
        private final SynonymMap map;

        @Inject
        public Synonyms(SynonymSettings settings) {
            this.map = build(settings.synonyms());
        }

        private static SynonymMap build(List<String> rules) {
            if (rules == null || rules.isEmpty()) {
                return null;
            }
            Analyzer words = new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String field) {
                    Tokenizer source = new StandardTokenizer();
                    return new TokenStreamComponents(source, new LowerCaseFilter(source));
                }
            };
            try {
                SolrSynonymParser parser = new SolrSynonymParser(true, true, words);
                parser.parse(new StringReader(String.join("\n", rules)));
                return parser.build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ParseException e) {
                throw new IllegalArgumentException("bad synonym rule: " + e.getMessage(), e);
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return map == null ? in : new SynonymGraphFilter(in, map, true);
        }

        @Override
        public AnalysisMode getAnalysisMode() {
            return AnalysisMode.SEARCH_TIME;
        }
    }
}
