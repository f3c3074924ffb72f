import { createApp } from 'vue';
import App from './App.vue';
import { useApi } from './useApi';
import { startBrowserNotifications } from './browserNotifications';
import './style.css';

startBrowserNotifications(useApi());
createApp(App).mount('#app');
