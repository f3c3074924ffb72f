import { createApp } from 'vue';
import App from './App.vue';
import { useApi } from './useApi';
import './style.css';

useApi();
createApp(App).mount('#app');
